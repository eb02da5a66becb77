"""Admin pages for the working-time calendar: office hours and the days that differ."""

from django.contrib import admin, messages
from django.db import router, transaction
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from worktime.clock import office_hours, package_days
from worktime.models import (
    CUTI_BERSAMA_UNKNOWN,
    ONE_ROW_A_DAY,
    Schedule,
    SpecialDay,
    WorkingHours,
    check_whole,
    load_calendar,
    one_change,
)


class WholeScheduleFormSet(BaseInlineFormSet):
    """The weekday rows, judged with the schedule they belong to: Django saves the schedule first
    and its rows after, so neither alone says whether the calendar they make has working time."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        schedule = self.instance
        if not schedule.is_default and not (schedule.starts_on and schedule.ends_on
                                            and schedule.starts_on <= schedule.ends_on):
            return  # the schedule's own fields are refused beside them
        week = {
            row["weekday"]: office_hours(row["opens"], row["closes"], row.get("break_starts"), row.get("break_ends"))
            for form in self.forms
            if (row := form.cleaned_data) and not self._should_delete_form(form)
        }
        check_whole(schedule, week)

    def get_unique_error_message(self, unique_check):
        # Django names the fields by their code ("weekday"), not by the column's heading.
        if "weekday" in unique_check:
            return ONE_ROW_A_DAY
        labels = [str(self.model._meta.get_field(name).verbose_name) for name in unique_check]
        return f"Perbaiki data ganda untuk {' dan '.join(labels)}."


class WholeCalendarEdit:
    """An admin page's edit, however many rows it writes (a schedule and its weekdays, a selection
    deleted), is one calendar change inside one transaction: the open steps are rescheduled once,
    when every row is written, and a failure rolls all of it back."""

    def _one_change(self, request, view, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        with transaction.atomic(using=router.db_for_write(self.model)), one_change():
            return view(request, *args, **kwargs)

    def changeform_view(self, request, *args, **kwargs):
        return self._one_change(request, super().changeform_view, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._one_change(request, super().delete_view, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self._one_change(request, super().changelist_view, *args, **kwargs)


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    formset = WholeScheduleFormSet
    extra = 0
    fields = ("weekday", "opens", "closes", "break_starts", "break_ends")


@admin.register(Schedule)
class ScheduleAdmin(WholeCalendarEdit, admin.ModelAdmin):
    inlines = [WorkingHoursInline]
    list_display = ("name", "is_default", "starts_on", "ends_on", "summary")
    fields = ("name", "is_default", "starts_on", "ends_on", "basis")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("days")

    @admin.display(description="jam kerja")
    def summary(self, obj):
        return "; ".join(str(row) for row in obj.days.all()) or "tidak ada hari kerja"


@admin.register(SpecialDay)
class SpecialDayAdmin(WholeCalendarEdit, admin.ModelAdmin):
    list_display = ("date", "kind", "note", "national_calendar")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("note",)

    def changelist_view(self, request, extra_context=None):
        for year in load_calendar().without_cuti_bersama(timezone.localdate()):
            messages.warning(request, CUTI_BERSAMA_UNKNOWN.format(year=year))
        return super().changelist_view(request, extra_context)

    @admin.display(description="menurut kalender nasional")
    def national_calendar(self, obj):
        found = package_days(obj.date.year).get(obj.date)
        return f"{found[0]}: {found[1]}" if found else "-"
