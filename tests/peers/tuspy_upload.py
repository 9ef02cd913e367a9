#!/usr/bin/env python3
"""Upload one file with the official Python tus client (tuspy), as a peer for
Saakshi's own tus server in the Rust tests.

  python tuspy_upload.py --endpoint URL --file PATH [--token T] [--chunk-size BYTES]
         [--upload-url URL] [--stop-after BYTES] [--retries N] [--checksum]
         [--metadata key=value]...

stderr: `UPLOAD_URL <url>` as soon as the upload URL is known (created or
        resumed), so a test that kills this process can still resume.
stdout: on success exactly one line `{"url": "...", "bytes": N}`, exit 0.
--stop-after N: once the server has confirmed at least N bytes, prints
        `{"url": "...", "bytes": CONFIRMED, "stopped": true}` on stdout and exits
        at once with code 3 (a client killed mid-upload).
--checksum: send tuspy's `Upload-Checksum: sha1 <base64>` with every PATCH.
Errors go to stderr with exit 1; bad arguments exit 2.

Run it with the venv that scripts/lib/peers.sh makes ($SAAKSHI_TUSPY).
"""
import argparse
import json
import os
import sys
import traceback


def positive_int(minimum):
    def parse(raw):
        try:
            value = int(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {raw}")
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {raw}")
        return value

    return parse


def key_value(raw):
    key, sep, value = raw.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"want key=value: {raw}")
    return key, value


def parse_args():
    p = argparse.ArgumentParser(description="Upload one file with tuspy.")
    p.add_argument("--endpoint", help="creation URL (POST)")
    p.add_argument("--file", required=True, help="file to upload")
    p.add_argument("--token", help="sent as Authorization: Bearer TOKEN")
    p.add_argument("--chunk-size", type=positive_int(1), help="bytes per PATCH (default: whole file)")
    p.add_argument("--upload-url", help="resume this upload instead of creating one")
    p.add_argument("--stop-after", type=positive_int(0), help="exit 3 once the server confirmed this many bytes")
    p.add_argument("--retries", type=positive_int(0), default=0, help="retries per chunk (default 0)")
    p.add_argument("--checksum", action="store_true", help="send Upload-Checksum (sha1) with each PATCH")
    p.add_argument("--metadata", type=key_value, action="append", default=[], help="key=value, repeatable")
    args = p.parse_args()
    if not args.endpoint and not args.upload_url:
        p.error("--endpoint is required (unless --upload-url)")
    return args


def result_line(url, nbytes, stopped=False):
    out = {"url": url, "bytes": nbytes}
    if stopped:
        out["stopped"] = True
    return json.dumps(out) + "\n"


def say(fd, text):
    # Unbuffered, so nothing is lost to an abrupt exit.
    os.write(fd, text.encode())


def main():
    args = parse_args()
    if not os.path.isfile(args.file):
        say(2, f"tuspy_upload: no such file: {args.file}\n")
        return 1

    from tusclient import client

    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    # tuspy needs a client (for the endpoint and headers) even when resuming;
    # with --upload-url it only ever talks to that URL.
    tus = client.TusClient(args.endpoint or args.upload_url, headers=headers)
    kwargs = {
        "metadata": dict(args.metadata),
        "url": args.upload_url,  # None: create a new upload on the first chunk
        "retries": args.retries,
        "retry_delay": 1,  # tuspy's default is 30 s
        "upload_checksum": args.checksum,
    }
    if args.chunk_size:
        kwargs["chunk_size"] = args.chunk_size
    # With a url this sends HEAD at once and takes the server's offset.
    uploader = tus.uploader(args.file, **kwargs)

    if not uploader.url:
        uploader.set_url(uploader.create_url())
        uploader.offset = 0
    say(2, f"UPLOAD_URL {uploader.url}\n")

    size = uploader.get_file_size()
    while uploader.offset < size:
        uploader.upload_chunk()  # offset = the server's Upload-Offset
        if args.stop_after is not None and uploader.offset >= args.stop_after:
            say(2, f"UPLOAD_URL {uploader.url}\n")
            say(1, result_line(uploader.url, uploader.offset, stopped=True))
            os._exit(3)

    say(1, result_line(uploader.url, uploader.offset))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as err:  # noqa: BLE001 - report any failure the same way
        detail = ""
        status = getattr(err, "status_code", None)
        body = getattr(err, "response_content", None)
        if status is not None:
            detail = f" (status {status}, body {body!r})"
        say(2, f"tuspy_upload: {type(err).__name__}: {err}{detail}\n")
        say(2, traceback.format_exc())
        sys.exit(1)
