"""The clerk's desk: a local web page over the library, served on the clerk's own machine.

Flask, because it shares click and Jinja2 with drafter and serves a handful of pages with no build step;
htmx (shipped in static/, no network) swaps the parts of a page that change. The views only parse the form
and call the library (drafter.app, drafter.workbench, drafter.corrections)."""
from __future__ import annotations

import hmac
import secrets
import threading
from pathlib import Path

from flask import Flask, abort, g, redirect, render_template, request

from ..config.office import Office
from ..errors import DrafterError
from ..store import Store
from ..understand.flags import FLAG_NAMES

# Uploads: at most this many files, this many bytes in one request.
MAX_FILES = 200
MAX_BYTES = 200 * 1024 * 1024
COOKIE = "drafter_token"

KIND_NAMES = {"report": "报告", "yearbook": "年鉴", "reply": "答复", "news": "新闻", "web": "网页"}


def create_app(store_path: Path, office: Office, token: str | None = None) -> Flask:
    """The page's application for one store and office; `token` guards every request (a fresh one if None)."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BYTES, STORE_PATH=Path(store_path), OFFICE=office,
                      TOKEN=token or secrets.token_urlsafe(24), JOBS={}, JOBS_LOCK=threading.Lock())
    app.config["CSRF"] = hmac.new(app.config["TOKEN"].encode(), b"csrf", "sha256").hexdigest()
    app.jinja_env.globals.update(FLAG_NAMES=FLAG_NAMES, KIND_NAMES=KIND_NAMES)

    @app.before_request
    def guard():
        # A page on loopback is still reachable from any site the clerk visits (DNS rebinding, forged
        # forms): the Host must be ours, every request must carry the launch token, every POST the CSRF one.
        if request.host.split(":")[0] not in ("127.0.0.1", "localhost"):
            abort(403)
        token = app.config["TOKEN"]
        given = request.args.get("token")
        if given is not None and hmac.compare_digest(given, token) and request.method == "GET":
            response = redirect(request.path)
            response.set_cookie(_cookie(), token, httponly=True, samesite="Strict")
            return response
        held = request.cookies.get(_cookie()) or request.headers.get("X-Drafter-Token") or ""
        if not hmac.compare_digest(held, token):
            return render_template("refused.html"), 403
        if request.method == "POST":
            sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
            if not hmac.compare_digest(sent, app.config["CSRF"]):
                return render_template("refused.html", csrf=True), 403

    @app.before_request
    def open_store():
        # One connection per request: SQLite connections stay in their thread, and nothing is shared.
        if request.endpoint != "static":
            g.store = Store(app.config["STORE_PATH"])

    @app.teardown_request
    def close_store(_error=None):
        store = g.pop("store", None)
        if store is not None:
            store.close()

    @app.context_processor
    def page_globals():
        return {"csrf_token": app.config["CSRF"], "office": app.config["OFFICE"]}

    @app.errorhandler(DrafterError)
    def drafter_error(e: DrafterError):
        template = "error_part.html" if request.headers.get("HX-Request") else "error.html"
        return render_template(template, error=e), 400

    @app.errorhandler(Exception)
    def internal_error(e: Exception):
        from werkzeug.exceptions import HTTPException
        if isinstance(e, HTTPException):
            return e
        app.logger.exception("internal error")  # the terminal keeps the traceback for the maintainer
        return render_template("error.html", error=DrafterError(
            f"程序内部出错（{type(e).__name__}: {e}）。", "请把这条信息发给维护人员。")), 500

    @app.errorhandler(413)
    def too_large(_e):
        return render_template("error.html", error=DrafterError(
            f"上传的文件太大（一次最多 {MAX_BYTES // 1024 // 1024} MB）。", "请分几次上传，或在“文件夹路径”中填写资料所在的文件夹。")), 413

    @app.get("/")
    def home():
        return redirect("/library")

    from . import drafting, pages
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(drafting.blueprint)
    return app


def _cookie() -> str:
    """The token's cookie, named by port: cookies ignore ports, and two desks may run side by side."""
    port = request.host.rpartition(":")[2] if ":" in request.host else ""
    return f"{COOKIE}_{port}" if port else COOKIE


def serve(store_path: Path, office: Office, port: int = 0, open_browser: bool = True, echo=print) -> None:
    """Serve on loopback until interrupted; say the address (with the token) first."""
    import logging
    from werkzeug.serving import make_server
    app = create_app(store_path, office)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a clerk's terminal is not a request log
    if port:
        # werkzeug reports a busy port in English and exits: try it first, and say it in Chinese.
        import socket
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug binds
            try:
                probe.bind(("127.0.0.1", port))
            except OSError as e:
                raise DrafterError(f"无法在端口 {port} 上启动（{e.strerror or e}）。",
                                   "该端口可能已被占用：请换用 --port 指定其他端口，或不加 --port 自动选择。") from e
    server = make_server("127.0.0.1", port, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}/?token={app.config['TOKEN']}"
    echo(url)
    if open_browser:
        import webbrowser
        webbrowser.open(url)
    try:
        server.serve_forever()
    finally:
        server.server_close()
