"""`manage.py send_webhooks`: try every delivery whose next try is due now, or whose first try's task
was lost (delivery.due); for a queue that cannot wait until a moment (or after a worker was down),
run from cron or a timer."""


from lib.commands import OperatorCommand
from webhooks.delivery import attempt, due


class Command(OperatorCommand):
    help = "Mengirim webhook yang sudah waktunya dicoba (lagi)."

    def handle(self, *args, **options):
        sent = failed = 0
        for pk in list(due().values_list("pk", flat=True)):
            if attempt(pk).status == "terkirim":
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"{sent} terkirim, {failed} belum.")
