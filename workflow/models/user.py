from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from lib.nip import format_nip, normalize_nip, validate_nip
from workflow.roles import Role


class User(AbstractUser):
    """A person who logs in: an official of the bureau, a member of the Tim, or an SKPD's officer."""

    nama = models.CharField("nama lengkap dengan gelar", max_length=150, blank=True)
    nip = models.CharField("NIP", max_length=24, blank=True, validators=[validate_nip])
    jabatan = models.CharField(max_length=150, blank=True)
    pangkat_golongan = models.CharField("pangkat/golongan", max_length=100, blank=True)
    skpd = models.ForeignKey(
        "workflow.Skpd",
        verbose_name="SKPD",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Wajib untuk pengguna dengan peran SKPD: ia hanya bertindak untuk SKPD ini.",
    )

    class Meta:
        verbose_name = "pengguna"
        verbose_name_plural = "pengguna"
        constraints = [
            models.UniqueConstraint(fields=["nip"], condition=~Q(nip=""), name="nip_unik"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.nama or self.get_full_name() or self.username

    @property
    def nip_spaced(self) -> str:
        return format_nip(self.nip) if self.nip else ""

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._loaded_skpd_id = user.__dict__.get("skpd_id")
        return user

    def moves_agency(self) -> bool:
        """Whether the save at hand moves this agency officer to another agency than the one they
        were read with (the admin's change page): what they were told and allowed as the old one's
        officer (unread notices, API tokens) is not theirs to carry over."""
        loaded = getattr(self, "_loaded_skpd_id", None)
        return loaded is not None and loaded != self.skpd_id

    def clean(self):
        super().clean()
        # Stored without spaces (save): the unique check must see it so, or a NIP typed spaced
        # passes it and the insert fails on the constraint.
        self.nip = normalize_nip(self.nip)
        holder = User.objects.filter(nip=self.nip).exclude(nip="").exclude(pk=self.pk).first()
        if holder is not None:
            raise ValidationError({"nip": f"NIP {format_nip(self.nip)} sudah tercatat untuk pengguna “{holder.username}” "
                                          f"({holder.display_name}). Satu NIP untuk satu akun: bila orangnya sama, "
                                          "ubah akun itu."})

    def save(self, *args, **kwargs):
        self.nip = normalize_nip(self.nip)
        super().save(*args, **kwargs)
        self._loaded_skpd_id = self.skpd_id

    @property
    def own_roles(self) -> frozenset[str]:
        # Cached per instance: one query per request, not one per permission check.
        if not hasattr(self, "_own_roles"):
            self._own_roles = frozenset(self.role_set.values_list("role", flat=True)) if self.pk else frozenset()
        return self._own_roles


class UserRole(models.Model):
    """One role a user holds; a person may hold several (a Kasubag who also sits in the Tim)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_set")
    role = models.CharField("peran", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "peran"
        verbose_name_plural = "peran"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="peran_unik_per_pengguna")]

    def __str__(self) -> str:
        return self.get_role_display()
