from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "bansou.sharing"
    label = "sharing"
    verbose_name = "共有"

    def ready(self) -> None:
        from bansou.orgs import pages as org_pages
        from bansou.sharing import queries, receivers  # noqa: F401  (receivers: connects to orgs' signals)

        org_pages.detail.register(queries.org_page_context)
