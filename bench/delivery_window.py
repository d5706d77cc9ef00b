"""``python -m bench.delivery_window``: the gap between the SMTP server's 250 and the commit of
the "sent" mark, the only moment a killed worker can cause a duplicate digest.

Sends 200 digests (one pending delivery each) over real SMTP to an aiosmtpd sink in this
process with the production sender, timing from the moment the 250 is read to the moment the
autocommitted UPDATE returns. Prints the median and 90th percentile in milliseconds.
"""

import statistics
import time
from datetime import date

from .setup import django_on_bench_database, owner_and_agreement, sized

SENDS = sized(200, 10)


class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def main():
    from aiosmtpd.controller import Controller

    django_on_bench_database()
    import logging

    from django.conf import settings

    from agreements.models import Deadline, ReminderDelivery, ReminderRule, User
    from agreements.models.deadlines import due_moment
    from agreements.reminders import sending
    from tests.live import free_port

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # its thread would share our GIL
    port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    ReminderDelivery.objects.all().delete()
    Deadline.objects.all().delete()
    owner, agreement = owner_and_agreement()
    rule = ReminderRule.objects.filter(active=True).first()
    due = date(2030, 1, 15)
    deadline = Deadline.objects.create(
        agreement=agreement,
        kind="end_date",
        due_date=due,
        due_at=due_moment(due),
        scheduled_from=due_moment(due),
    )
    users = User.objects.bulk_create(
        User(username=f"window-{i:04}", email=f"window-{i:04}@bench.example") for i in range(SENDS)
    )
    ReminderDelivery.objects.bulk_create(
        ReminderDelivery(deadline=deadline, rule=rule, occurrence=str(i), addressee=u, recipient=u)
        for i, u in enumerate(users)
    )
    windows = []
    real_deliver = sending.deliver

    def timed_deliver(message, on_accepted):
        def timed():
            started = time.perf_counter()  # the 250 has just been read
            on_accepted()
            windows.append((time.perf_counter() - started) * 1000)

        return real_deliver(message, timed)

    sending.deliver = timed_deliver
    try:
        for user in users:
            sending.do_send_reminder_digest(user.pk)
    finally:
        sending.deliver = real_deliver
        controller.stop()
    windows.sort()
    print(
        f"bench.delivery_window: {len(windows)} sends, 250 -> sent committed: "
        f"median {statistics.median(windows):.2f} ms, "
        f"p90 {windows[int(len(windows) * 0.9)]:.2f} ms, max {windows[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
