"""Schemathesis hooks: tus bodies are raw bytes of `application/offset+octet-stream`,
a media type schemathesis has no serializer for by default."""

import schemathesis


@schemathesis.serializer("application/offset+octet-stream")
def tus_bytes(ctx, value):
    if isinstance(value, bytes):
        return value
    return str(value).encode()
