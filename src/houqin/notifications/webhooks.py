"""Group-robot webhooks in the formats their public documentation defines.

* WeCom (企业微信) group robot: ``POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…``
  with ``{"msgtype": "markdown", "markdown": {"content": …}}``; answers
  ``{"errcode": 0, "errmsg": "ok"}``.
* DingTalk (钉钉) custom robot: ``POST https://oapi.dingtalk.com/robot/send?access_token=…``
  with ``{"msgtype": "markdown", "markdown": {"title": …, "text": …}}``. With “加签” the
  query gets ``timestamp`` (milliseconds) and ``sign`` = url-encoded base64 of
  HMAC-SHA256(key=secret, message=f"{timestamp}\\n{secret}"). Answers ``{"errcode": 0}``.
* Feishu (飞书) custom bot: ``POST https://open.feishu.cn/open-apis/bot/v2/hook/…`` with
  ``{"msg_type": "post", "content": {"post": {"zh_cn": {"title": …, "content": […]}}}}``.
  With a signature secret the body gets ``timestamp`` (seconds, a string) and ``sign`` =
  base64 of HMAC-SHA256(key=f"{timestamp}\\n{secret}", message=b""). Answers
  ``{"code": 0, "msg": "success"}`` (older deployments ``{"StatusCode": 0}``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

WECOM = "wecom"
DINGTALK = "dingtalk"
FEISHU = "feishu"

#: WeCom refuses markdown over 4096 bytes (UTF-8: 3 bytes a Chinese character); a body of
#: 1000 characters with a 200-character title and the link stays below it.
MAX_BODY_CHARS = 1000


@dataclass(frozen=True)
class Message:
    title: str
    body: str = ""
    url: str = ""  # absolute, or empty


@dataclass(frozen=True)
class Result:
    ok: bool
    status: int | None = None
    error: str = ""


def _body(message: Message) -> str:
    body = message.body.strip()
    if len(body) > MAX_BODY_CHARS:
        body = body[: MAX_BODY_CHARS - 1] + "…"
    return body


def _markdown(message: Message, heading: str) -> str:
    closing = heading.strip() if heading.startswith("*") else ""
    parts = [f"{heading}{message.title}{closing}"]
    body = _body(message)
    if body:
        parts.append(body)
    if message.url:
        link = _("Open in Houqin")
        parts.append(f"[{link}]({message.url})")
    return "\n\n".join(parts)


def build_payload(kind: str, message: Message) -> dict[str, Any]:
    """The unsigned JSON body for ``kind``, in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        if kind == WECOM:
            return {"msgtype": "markdown", "markdown": {"content": _markdown(message, "**")}}
        if kind == DINGTALK:
            text = _markdown(message, "#### ")
            return {"msgtype": "markdown", "markdown": {"title": message.title, "text": text}}
        if kind == FEISHU:
            paragraphs: list[list[dict[str, str]]] = [
                [{"tag": "text", "text": line}] for line in _body(message).splitlines() if line
            ]
            if message.url:
                paragraphs.append([{"tag": "a", "text": _("Open in Houqin"), "href": message.url}])
            language = "zh_cn" if settings.LANGUAGE_CODE.startswith("zh") else "en_us"
            post = {language: {"title": message.title, "content": paragraphs}}
            return {"msg_type": "post", "content": {"post": post}}
    raise ValueError(f"unknown webhook kind: {kind}")


def dingtalk_sign(secret: str, timestamp_ms: str) -> str:
    """DingTalk “加签”: base64 HMAC-SHA256 keyed by the secret (not yet url-encoded)."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: str) -> str:
    """Feishu signature: base64 HMAC-SHA256 keyed by ``timestamp\\nsecret`` over nothing."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_request(
    kind: str, url: str, secret: str, payload: dict[str, Any], now: float | None = None
) -> tuple[str, dict[str, Any]]:
    """The address and body to post, signed when the endpoint has a secret."""
    now = time.time() if now is None else now
    if not secret:
        return url, payload
    if kind == DINGTALK:
        timestamp = str(round(now * 1000))
        query = urllib.parse.urlencode(
            {"timestamp": timestamp, "sign": dingtalk_sign(secret, timestamp)}
        )
        return f"{url}{'&' if '?' in url else '?'}{query}", payload
    if kind == FEISHU:
        timestamp = str(int(now))
        return url, {"timestamp": timestamp, "sign": feishu_sign(secret, timestamp), **payload}
    return url, payload  # WeCom robots have no signature; the key in the address is the secret


def check_answer(kind: str, response: requests.Response) -> str:
    """The error in a robot's answer, or an empty string when it accepted the message."""
    text = response.text[:300]
    if not 200 <= response.status_code < 300:
        return f"HTTP {response.status_code}: {text}".strip()
    try:
        data = response.json()
    except ValueError:
        return _("Unexpected answer (not JSON): %(text)s") % {"text": text}
    if not isinstance(data, dict):
        return _("Unexpected answer: %(text)s") % {"text": text}
    if kind == FEISHU:
        code = data.get("code", data.get("StatusCode"))
        message = data.get("msg") or data.get("StatusMessage") or ""
    else:
        code = data.get("errcode")
        message = data.get("errmsg") or ""
    if code is None:
        return _("Unexpected answer: %(text)s") % {"text": text}
    if code != 0:
        return f"{code}: {message}".strip()
    return ""


def timeout() -> float:
    return float(getattr(settings, "HOUQIN_WEBHOOK_TIMEOUT", 5))


def scrub(text: str, kind: str, url: str, secret: str) -> str:
    """``text`` without the robot's token or secret (error messages quote the address)."""
    parts = urllib.parse.urlsplit(url)
    secrets = [url, parts.query, secret]
    if kind == FEISHU:
        secrets.append(parts.path.rsplit("/", 1)[-1])
    for value in sorted(filter(None, secrets), key=len, reverse=True):
        text = text.replace(value, "…")
    return re.sub(r"\?[^\s'\")]+", "?…", text)


def _connection_reason(exc: Exception) -> str:
    """The useful end of urllib3's nested message: "[Errno 111] Connection refused"."""
    inner = exc.args[0] if exc.args else exc
    text = str(getattr(inner, "reason", inner))
    for separator in ("): ", ">: "):
        if separator in text:
            text = text.split(separator, 1)[1]
    return text


def post(kind: str, url: str, secret: str, payload: dict[str, Any]) -> Result:
    """Send one message; never raises. ``Result.error`` says what went wrong (no tokens)."""
    try:
        address, body = signed_request(kind, url, secret, payload)
        response = requests.post(address, json=body, timeout=timeout(), allow_redirects=False)
    except requests.Timeout:
        return Result(False, None, _("No answer within %(seconds)s s.") % {"seconds": timeout()})
    except requests.ConnectionError as exc:
        host = urllib.parse.urlsplit(url).netloc
        error = _("Could not connect to %(host)s (%(reason)s).") % {
            "host": host,
            "reason": _connection_reason(exc),
        }
        return Result(False, None, scrub(error, kind, url, secret)[:500])
    except Exception as exc:  # a bad address or payload must not break the caller either
        return Result(False, None, scrub(f"{type(exc).__name__}: {exc}", kind, url, secret)[:500])
    error = check_answer(kind, response)
    return Result(not error, response.status_code, scrub(error, kind, url, secret))
