"""Which server the model path talks to, decided from the settings before anything is sent.

Kinds: "openai" (no base URL: api.openai.com), "compatible" (any OpenAI-compatible base URL: Ollama,
vLLM, LM Studio, a proxy), "azure_v1" (Azure OpenAI's v1 endpoint, https://<resource>.openai.azure.com/
openai/v1/, which takes the plain client), "azure" (classic Azure OpenAI deployments: /openai/deployments/
<deployment>/chat/completions?api-version=..., `api-key` header; the SDK's AzureOpenAI client).

A configuration that would send the notes or the key to a host the user did not name is refused with a
ConfigError: Azure settings with no Azure endpoint would otherwise go to api.openai.com (the SDK's default).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qs, urlsplit, urlunsplit

from ..errors import ConfigError

if TYPE_CHECKING:
    from ..config import Settings

EndpointKind = Literal["openai", "compatible", "azure_v1", "azure"]
AZURE_HOST_SUFFIXES = (".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com")
OPENAI_HOST = "api.openai.com"


@dataclass(frozen=True)
class Endpoint:
    """kind; base_url: the plain client's base URL, or for "azure" the resource endpoint (scheme://host);
    api_version and deployment: classic Azure only; host: what messages name."""

    kind: EndpointKind
    base_url: str | None
    host: str
    api_version: str | None = None
    deployment: str | None = None


def is_azure_host(host: str) -> bool:
    return host.lower().split(":")[0].endswith(AZURE_HOST_SUFFIXES)


def resolve_endpoint(settings: Settings) -> Endpoint:
    """The endpoint the settings describe. Raises ConfigError (saying what to set) for a URL that cannot
    work or a configuration that would send data to a host the user did not name."""
    base = (settings.openai_base_url or "").strip() or None
    azure = (settings.azure_openai_endpoint or "").strip() or None
    version = (settings.openai_api_version or "").strip() or None

    if base and azure and urlsplit(base).netloc.lower() != urlsplit(azure).netloc.lower():
        raise ConfigError(
            f"OPENAI_BASE_URL ({urlsplit(base).netloc}) and AZURE_OPENAI_ENDPOINT ({urlsplit(azure).netloc}) "
            "name different hosts: set only the one the notes should go to."
        )
    url = base or azure
    if url is None:
        if version or settings.azure_openai_api_key:
            raise ConfigError(
                "Azure OpenAI settings (OPENAI_API_VERSION or AZURE_OPENAI_API_KEY) but no Azure endpoint: the "
                "notes and the key would go to api.openai.com. Set AZURE_OPENAI_ENDPOINT="
                "https://<resource>.openai.azure.com (or remove the Azure settings to use OpenAI)."
            )
        return Endpoint(kind="openai", base_url=None, host=OPENAI_HOST)

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"The model URL '{url}' is not an http(s) URL: set OPENAI_BASE_URL to e.g. http://localhost:11434/v1."
        )
    host = parts.netloc
    query = parse_qs(parts.query)
    if query:
        in_url = (query.pop("api-version", None) or [""])[0] or None
        if query:
            raise ConfigError(
                f"The model URL carries query parameters ({', '.join(sorted(query))}) ftdraft cannot pass on: "
                "remove them from OPENAI_BASE_URL."
            )
        if in_url and version and in_url != version:
            raise ConfigError(f"api-version {in_url} in the URL and OPENAI_API_VERSION={version} disagree: keep one.")
        version = version or in_url
    path = parts.path.rstrip("/")
    clean = urlunsplit((parts.scheme, parts.netloc, path, "", ""))

    if version:  # classic Azure OpenAI: the SDK's AzureOpenAI client builds the deployment URL
        deployment = None
        if "/openai/deployments/" in path:
            deployment = path.split("/openai/deployments/", 1)[1].split("/")[0] or None
        prefix = path.split("/openai", 1)[0]
        resource = urlunsplit((parts.scheme, parts.netloc, prefix, "", ""))
        return Endpoint(kind="azure", base_url=resource, host=host, api_version=version, deployment=deployment)
    if is_azure_host(host) or "/openai/deployments" in path:
        if path.endswith("/openai/v1"):
            return Endpoint(kind="azure_v1", base_url=clean + "/", host=host)
        raise ConfigError(
            f"{host} looks like Azure OpenAI: use the v1 endpoint (OPENAI_BASE_URL=https://{host}/openai/v1/) "
            "or, for a classic deployment, set OPENAI_API_VERSION (e.g. 2024-10-21) and AZURE_OPENAI_ENDPOINT."
        )
    return Endpoint(kind="compatible", base_url=clean, host=host)
