"""Where the apprise configuration comes from: a file, or a Prefect Secret block.

Both keep the channel URLs (and their tokens) out of the plan file and the database:
`DUBAN_APPRISE_CONFIG` names a file; `DUBAN_APPRISE_SECRET` names a Prefect Secret block whose
value is the same YAML or TEXT — for deployments whose workers should not carry files.
"""

from __future__ import annotations

from duban.settings import Settings
from tasks.delivery import AppriseTransport, DeliveryError


def load_transport(settings: Settings) -> AppriseTransport | None:
    """The transport the settings describe, or None when no channel is configured.

    Raises `DeliveryError` with a message naming the source (never its content).
    """
    if settings.apprise_config is not None:
        return AppriseTransport(settings.apprise_config)
    if settings.apprise_secret is None:
        return None
    from prefect.blocks.system import Secret  # only a secret-configured run needs the API

    try:
        value = Secret.load(settings.apprise_secret).get()
    except Exception as exc:  # missing block, unreachable API: the run reports it, not a traceback
        raise DeliveryError(
            f"无法读取 Prefect Secret 块“{settings.apprise_secret}”：{type(exc).__name__}",
            permanent=True,
        ) from None
    if not isinstance(value, str):
        raise DeliveryError(
            f"Prefect Secret 块“{settings.apprise_secret}”的值应为 apprise 配置文本", permanent=True
        )
    return AppriseTransport(text=value)
