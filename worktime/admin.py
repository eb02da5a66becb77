"""Admin pages for the working-time calendar: office hours and the days that differ."""

from django.contrib import admin

from worktime.clock import package_days
from worktime.models import Schedule, SpecialDay, WorkingHours


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0
    fields = ("weekday", "opens", "closes", "break_starts", "break_ends")


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    inlines = [WorkingHoursInline]
    list_display = ("name", "is_default", "starts_on", "ends_on", "summary")
    fields = ("name", "is_default", "starts_on", "ends_on", "basis")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("days")

    @admin.display(description="jam kerja")
    def summary(self, obj):
        return "; ".join(str(row) for row in obj.days.all()) or "tidak ada hari kerja"


@admin.register(SpecialDay)
class SpecialDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "note", "national_calendar")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("note",)

    @admin.display(description="menurut kalender nasional")
    def national_calendar(self, obj):
        found = package_days(obj.date.year).get(obj.date)
        return f"{found[0]}: {found[1]}" if found else "-"
