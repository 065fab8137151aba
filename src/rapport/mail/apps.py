from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "rapport.mail"
    label = "mail"
    verbose_name = "E-mail"

    def ready(self) -> None:
        # Notifications sit below mail in the layers: mail offers itself as a delivery
        # channel rather than being imported by them. Imported here, not at module
        # level, because models may not be imported before the app registry is ready.
        from rapport.mail.outbound import mail_notification
        from rapport.notifications import delivery

        delivery.register("mail", mail_notification)
