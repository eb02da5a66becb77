"""Checking a read file's rows against the database: what each row will do (a new account, a change,
nothing), every refusal named by its row and column, before anything is written."""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower

from lib.fingerprint import fingerprint
from lib.nip import format_nip, normalize_nip, validate_nip
from workflow import policy
from workflow.models import Skpd, User
from workflow.people_import.columns import (
    LABELS,
    LIMITS,
    TEXT_FIELDS,
    Problem,
    Sheet,
    grouped,
    one_line,
)
from workflow.roles import INTERNAL_ROLES, Role

# Role names as people write them (lower case, dots dropped, spaces made one).
ROLE_WORDS = {
    Role.KASUBAG: ("kasubag", "kasubbag", "kasub bag", "kasubag tu", "kasubbag tu", "kepala sub bagian",
                   "kepala subbagian", "kepala sub bag", "kepala subbag", "kepala sub bagian tata usaha",
                   "kepala subbagian tata usaha", "kasubag tata usaha"),
    Role.STAF: ("staf", "staff", "pelaksana", "staf biro", "staf pelaksana"),
    Role.KABAG: ("kabag", "kepala bagian", "kabag kesra"),
    Role.KABIRO: ("kabiro", "karo", "kepala biro"),
    Role.TIM: ("tim", "anggota tim", "tim penyusun", "tim penyelenggara"),
    Role.SKPD: ("skpd", "opd", "petugas skpd", "operator skpd", "petugas opd", "operator opd", "perangkat daerah"),
}
ROLE_OF = {word: role for role, words in ROLE_WORDS.items() for word in words}
ROLE_SPLIT = re.compile(r"\s*(?:[,;/&+\n]|\bdan\b)\s*")
USERNAME_RULE = UnicodeUsernameValidator()
ADMIN_ACCOUNT = ("Akun “{username}” adalah akun admin (staf admin atau superuser): hanya superuser yang dapat "
                 "mengubahnya, juga lewat impor. Hapus baris ini, atau minta superuser mengimpornya.")
# What a new account receives: a link by e-mail to set its password, sent with the confirmation
# (unless the admin leaves that for later); without an address, a first password from the admin.
NEW_RECEIVES_LINK = ("Akun baru tanpa kata sandi. Tautan atur kata sandi dikirim ke {email} saat disimpan (berlaku "
                     "{days} hari); ia mengatur kata sandinya sendiri lalu masuk.")
NEW_RECEIVES = ("Akun baru tanpa kata sandi, tanpa e-mail: tidak menerima tautan atur kata sandi. Admin menetapkan "
                "kata sandi awalnya (halaman pengguna › Setel sandi) dan menyampaikannya; ia lalu menggantinya di menu "
                "Kata sandi.")

@dataclass
class Planned:
    """What one row will do: "baru" (a new account), "ubah" (changes to one), "tetap" (nothing)."""

    line: int
    username: str
    nama: str
    action: str
    changes: list = field(default_factory=list)
    roles: list = field(default_factory=list)  # the roles it gives (added, for an account already there)
    skpd: object = None
    values: dict = field(default_factory=dict)  # the fields it writes
    account: object = None
    receives: str = ""
    notes: list = field(default_factory=list)
    # The account as the row leaves it, for the preview: its agency, and every role it holds.
    skpd_shown: str = ""
    roles_shown: str = ""

    @property
    def roles_label(self) -> str:
        return ", ".join(Role(role).label for role in self.roles)


@dataclass
class Plan:
    rows: list
    problems: list
    notes: list

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def refusals(self) -> list[str]:
        return grouped(self.problems)

    def count(self, action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def fingerprint(self) -> str:
        """The plan in a word: the confirmation writes only the plan the preview showed."""
        said = [(r.line, r.action, r.username, r.changes, r.roles, r.skpd.pk if r.skpd else None) for r in self.rows]
        return fingerprint(said)




def _agency_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().replace(".", " ").split())


class Agencies:
    """The SKPD list, found by the names people write: the short name, the abbreviation or the
    official name, in any case, with or without "Provinsi Kalimantan Barat". One query."""

    SUFFIX = " provinsi kalimantan barat"

    def __init__(self):
        self.by_key: dict[str, list] = {}
        for skpd in Skpd.objects.all():
            for name in {skpd.nama_pendek, skpd.singkatan, skpd.nama}:
                if name:
                    key = _agency_key(name)
                    for each in {key, key.removesuffix(self.SUFFIX)}:
                        if skpd not in self.by_key.setdefault(each, []):
                            self.by_key[each].append(skpd)

    def find(self, text: str):
        """(the agency, "") or (None, why not)."""
        key = _agency_key(text)
        found = self.by_key.get(key) or self.by_key.get(key.removesuffix(self.SUFFIX), [])
        if len(found) > 1:
            names = " dan ".join(f"“{s.nama_pendek}”" for s in found[:2])
            return None, f"“{text}” dapat berarti {names}: tulis nama pendeknya."
        if not found:
            close = difflib.get_close_matches(key, self.by_key, n=1, cutoff=0.8)
            hint = f" Maksudnya “{self.by_key[close[0]][0].nama_pendek}”?" if close else ""
            return None, (f"SKPD “{text}” tidak ada dalam daftar SKPD.{hint} Impor tidak membuat SKPD baru: tulis "
                          "nama pendek, singkatan atau nama resminya seperti pada lembar Daftar SKPD di templat, atau "
                          "tambahkan SKPD itu dulu di Admin › SKPD, lalu unggah lagi.")
        skpd = found[0]
        if not skpd.aktif:
            return None, (f"SKPD “{skpd.nama_pendek}” nonaktif dan tidak lagi ditawarkan. Hubungkan petugasnya ke SKPD "
                          "penggantinya, atau aktifkan kembali SKPD itu di Admin › SKPD.")
        return skpd, ""


def parse_roles(text: str) -> tuple[list[str], list[str]]:
    """(roles, the words not understood) of a cell such as "Kasubag, Tim" or "Kepala Bagian"."""
    roles, unknown = [], []
    for word in ROLE_SPLIT.split(text.strip()):
        key = " ".join(word.casefold().replace(".", " ").split())
        if not key:
            continue
        role = ROLE_OF.get(key)
        if role is None:
            unknown.append(one_line(word))
        elif role not in roles:
            roles.append(role)
    return roles, unknown


ROLES_ACCEPTED = ", ".join(Role(role).label for role in Role.values)


def plan(sheet: Sheet, user, *, lock: bool = False) -> Plan:
    """What importing `sheet`'s rows as `user` would do, and every row refused with why. `lock`
    (in the confirming transaction) holds the accounts it changes. A few queries, whatever the rows."""
    problems = list(sheet.problems)
    if sheet.problems and not sheet.rows:
        return Plan([], problems, sheet.notes)
    agencies = Agencies()
    # A row refused as the file was read (a NIP a spreadsheet rounded) is not previewed as if fine.
    unread = {problem.row for problem in sheet.problems if problem.row}
    cleaned = [(line, row) for line, row in ((line, _clean_row(sheet, line, row, agencies, problems))
                                             for line, row in sheet.rows if line not in unread) if row is not None]
    names = {row["username"].casefold() for _, row in cleaned if row.get("username")}
    nips = {row["nip"] for _, row in cleaned if row.get("nip")}
    emails = {row["email"].casefold() for _, row in cleaned if row.get("email")}
    accounts = User.objects.annotate(username_key=Lower("username"), email_key=Lower("email")).filter(
        Q(username_key__in=names) | Q(nip__in=nips) | Q(email_key__in=emails)).select_related("skpd")
    if lock:
        accounts = accounts.select_for_update(of=("self",))
    accounts = list(accounts)
    policy.remember_roles(accounts)
    by_name = {a.username.casefold(): a for a in accounts}
    by_nip = {a.nip: a for a in accounts if a.nip}
    by_email = {}
    for account in accounts:
        if account.email:
            by_email.setdefault(account.email.casefold(), account)
    seen: dict[tuple, int] = {}
    rows = []
    for line, row in cleaned:
        account = by_name.get(row["username"].casefold())
        refused = False
        for name, key in (("username", row["username"].casefold()), ("nip", row.get("nip")),
                          ("email", (row.get("email") or "").casefold())):
            if key and (name, key) in seen:
                problems.append(Problem(f"{LABELS[name]} “{row[name]}” sudah ada di baris {seen[name, key]} berkas ini: "
                                        "satu orang satu baris.", **sheet.where(line, name)))
                refused = True
            elif key:
                seen[name, key] = line
        holder = by_nip.get(row.get("nip"))
        if holder is not None and holder != account:
            problems.append(Problem(f"NIP {format_nip(row['nip'])} sudah tercatat untuk pengguna “{holder.username}” "
                                    f"({holder.display_name}). Satu NIP untuk satu akun: bila orangnya sama, tulis nama "
                                    f"pengguna “{holder.username}” pada baris ini.", **sheet.where(line, "nip")))
            refused = True
        holder = by_email.get((row.get("email") or "").casefold())
        if holder is not None and holder != account:
            problems.append(Problem(f"E-mail {row['email']} sudah dipakai pengguna “{holder.username}” "
                                    f"({holder.display_name}): pemberitahuan untuk dua akun akan masuk ke satu kotak. "
                                    "Tulis e-mail orang ini sendiri.", **sheet.where(line, "email")))
            refused = True
        planned = (_new(sheet, line, row, problems) if account is None
                   else _changed(sheet, line, row, account, user, problems))
        if planned is not None and not refused:
            rows.append(planned)
    return Plan(rows, problems, sheet.notes)


def _clean_row(sheet, line, row, agencies, problems) -> dict | None:
    """The row's values checked one by one; None when one is refused (each said in `problems`)."""
    before = len(problems)
    out = {}

    def refuse(name, message):
        problems.append(Problem(message, **sheet.where(line, name)))

    username = unicodedata.normalize("NFKC", row.get("username", ""))
    if not username:
        refuse("username", "Nama pengguna wajib diisi: dipakai untuk masuk, mis. “budi.santoso”.")
    elif len(username) > LIMITS["username"]:
        refuse("username", f"Nama pengguna paling banyak {LIMITS['username']} karakter; terisi {len(username)}.")
    else:
        try:
            USERNAME_RULE(username)
        except ValidationError:
            refuse("username", f"Nama pengguna “{username}” hanya boleh berisi huruf, angka dan tanda . @ + - _ "
                               "(tanpa spasi), mis. “budi.santoso”.")
    out["username"] = username
    for name in ("nama", "jabatan", "pangkat_golongan"):
        value = row.get(name, "")
        if len(value) > LIMITS[name]:
            refuse(name, f"{LABELS[name]} paling banyak {LIMITS[name]} karakter; terisi {len(value)}.")
        out[name] = value
    nip = normalize_nip(row.get("nip", "").lstrip("'"))
    if nip:
        try:
            validate_nip(nip)
        except ValidationError as error:
            refuse("nip", error.messages[0])
    out["nip"] = nip
    email = row.get("email", "").lstrip("'")
    if email:
        email = User.objects.normalize_email(email)
        if len(email) > LIMITS["email"]:
            refuse("email", f"E-mail paling banyak {LIMITS['email']} karakter; terisi {len(email)}.")
        else:
            try:
                validate_email(email)
            except ValidationError:
                refuse("email", f"“{email}” bukan alamat e-mail yang benar, mis. budi@kalbarprov.go.id.")
    out["email"] = email
    out["skpd"] = None
    if row.get("skpd"):
        out["skpd"], why = agencies.find(row["skpd"])
        if why:
            refuse("skpd", why)
    roles, unknown = parse_roles(row.get("peran", ""))
    if unknown:
        refuse("peran", f"Peran {', '.join(f'“{w}”' for w in unknown)} tidak dikenal. Peran yang dapat ditulis: "
                        f"{ROLES_ACCEPTED} (beberapa dipisah koma).")
    out["roles"] = roles
    return out if len(problems) == before else None


def _combination(sheet, line, roles, skpd, account, problems) -> bool:
    """The rules of the user page's roles (workflow.admin.people.RoleFormSet) on the account as the
    row leaves it; False when one refuses it."""
    where = sheet.where(line, "peran")
    if Role.SKPD in roles and skpd is None:
        problems.append(Problem("Peran SKPD wajib dengan kolom SKPD: tulis nama pendek SKPD-nya.", **sheet.where(line, "skpd")))
        return False
    bureau = sorted(Role(role).label for role in set(roles) & INTERNAL_ROLES)
    if Role.SKPD in roles and bureau:
        problems.append(Problem(f"Peran SKPD tidak dapat digabung dengan peran Biro ({', '.join(bureau)}): petugas SKPD "
                                "hanya melihat dosier yang mengundang SKPD-nya.", **where))
        return False
    if skpd is not None and bureau:
        problems.append(Problem(f"Pegawai Biro ({', '.join(bureau)}) tidak dihubungkan ke SKPD: kosongkan kolom SKPD, "
                                "atau tulis peran SKPD untuk petugas SKPD.", **sheet.where(line, "skpd")))
        return False
    if account is not None and (Role.SKPD in roles or skpd is not None) and (account.is_staff or account.is_superuser):
        problems.append(Problem("Petugas SKPD tidak dapat menjadi staf admin, dan akun ini staf admin: daftar di admin "
                                "memuat riwayat dan naskah dosier semua SKPD.", **sheet.where(line, "skpd")))
        return False
    return True


def _new(sheet, line, row, problems) -> Planned | None:
    roles = row["roles"]
    implied = False
    if not roles and row["skpd"] is not None:
        roles, implied = [Role.SKPD], True  # an agency's officer: the one role an agency's row can have
    if not roles:
        problems.append(Problem(f"Peran wajib diisi untuk pengguna baru: {ROLES_ACCEPTED}.", **sheet.where(line, "peran")))
        return None
    if not row["nama"]:
        problems.append(Problem("Nama lengkap wajib diisi untuk pengguna baru: dipakai pada naskah dan riwayat.",
                                **sheet.where(line, "nama")))
        return None
    if not _combination(sheet, line, roles, row["skpd"], None, problems):
        return None
    values = {name: row[name] for name in TEXT_FIELDS}
    notes = ["Peran SKPD karena kolom SKPD diisi."] if implied else []
    if not row["email"]:
        notes.append("Tanpa e-mail: tidak menerima pemberitahuan lewat e-mail.")
    return Planned(line, row["username"], row["nama"], "baru", roles=roles, skpd=row["skpd"], values=values,
                   receives=NEW_RECEIVES_LINK.format(email=row["email"], days=settings.SOP_PASSWORD_LINK_DAYS)
                   if row["email"] else NEW_RECEIVES, notes=notes, skpd_shown=row["skpd"].nama_pendek if row["skpd"] else "Biro",
                   roles_shown=", ".join(Role(r).label for r in roles))


def _changed(sheet, line, row, account, user, problems) -> Planned | None:
    held = set(account.own_roles)
    added = [role for role in row["roles"] if role not in held]
    skpd = row["skpd"] if row["skpd"] is not None else account.skpd
    values, changes = {}, []
    for name in TEXT_FIELDS:
        new, old = row[name], getattr(account, name)
        same = new.casefold() == old.casefold() if name == "email" else new == old
        if new and not same:  # an empty cell leaves the account's value as it is
            values[name] = new
            shown = (format_nip(old) or "-", format_nip(new)) if name == "nip" else (old or "-", new)
            changes.append(f"{LABELS[name]}: {shown[0]} → {shown[1]}")
    if row["skpd"] is not None and row["skpd"].pk != account.skpd_id:
        values["skpd"] = row["skpd"]
        changes.append(f"SKPD: {account.skpd.nama_pendek if account.skpd else '-'} → {row['skpd'].nama_pendek}")
    if added:
        changes.append(f"Peran ditambah: {', '.join(Role(r).label for r in added)}")
    final = skpd.nama_pendek if skpd else "Biro"
    every = ", ".join(Role(r).label for r in Role.values if r in held | set(added))
    if not changes:
        return Planned(line, account.username, account.display_name, "tetap", account=account,
                       receives="Tidak ada yang berubah.", skpd_shown=final, roles_shown=every)
    if not policy.can_change_account(user, account):
        problems.append(Problem(ADMIN_ACCOUNT.format(username=account.username), **sheet.where(line, "username")))
        return None
    if not _combination(sheet, line, sorted(held | set(added)), skpd, account, problems):
        return None
    notes = []
    if kept := held - set(row["roles"]):
        notes.append(f"Peran lain tetap: {', '.join(Role(r).label for r in Role.values if r in kept)}.")
    if not account.is_active:
        notes.append("Akun ini nonaktif dan tetap nonaktif.")
    if "skpd" in values and account.skpd_id:
        notes.append("Pindah SKPD: pemberitahuan dan token API dari SKPD lamanya dihapus.")
    return Planned(line, account.username, row["nama"] or account.display_name, "ubah", changes=changes, roles=added,
                   skpd=values.get("skpd"), values=values, account=account, notes=notes,
                   receives="Tetap masuk dengan kata sandinya sendiri.", skpd_shown=final, roles_shown=every)
