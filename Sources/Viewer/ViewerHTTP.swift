import Foundation
import NIOCore
import NIOHTTP1

/// What the viewer reads of a request: no body (it serves GET and HEAD only).
struct ViewerRequest: Sendable {
    var method: HTTPMethod
    /// The request target as sent: path and query.
    var target: String
    var ifNoneMatch: String?
}

/// A whole answer, written at once (tiles and pages are small).
struct ViewerResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: [UInt8]

    init(status: HTTPResponseStatus, contentType: String?, cacheControl: String, body: [UInt8]) {
        self.status = status
        headers = HTTPHeaders()
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        headers.add(name: "Cache-Control", value: cacheControl)
        self.body = body
    }

    /// A page of the viewer (never cached stale: it is small and names the tiles).
    static func page(_ html: String) -> ViewerResponse {
        ViewerResponse(
            status: .ok, contentType: "text/html; charset=utf-8", cacheControl: "no-cache", body: Array(html.utf8))
    }

    /// A short plain-text answer for an error status.
    static func plain(_ status: HTTPResponseStatus, _ message: String) -> ViewerResponse {
        ViewerResponse(
            status: status, contentType: "text/plain; charset=utf-8", cacheControl: "no-store",
            body: Array((message + "\n").utf8))
    }
}

/// One connection's requests: each is answered off the event loop (a tile is CPU work) and
/// written back in order. A connection idle past the read timeout is closed unless a request of
/// it is being answered (the client is then waiting on us, not stalling).
final class ViewerHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: ViewerServer
    private var head: HTTPRequestHead?
    private var answering = false

    init(server: ViewerServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            answering = true
            let request = ViewerRequest(
                method: head.method, target: head.uri,
                ifNoneMatch: head.headers["If-None-Match"].isEmpty
                    ? nil : head.headers["If-None-Match"].joined(separator: ","))
            let promise = context.eventLoop.makePromise(of: ViewerResponse.self)
            let server = self.server
            DispatchQueue.global().async { promise.succeed(server.respond(to: request)) }
            promise.futureResult.assumeIsolated().whenSuccess { response in
                self.write(response, for: head, context: context)
            }
        }
    }

    private func write(_ response: ViewerResponse, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        answering = false
        var headers = response.headers
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Server", value: "atelier")
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(
            wrapOutboundOut(
                .head(HTTPResponseHead(version: request.version, status: response.status, headers: headers))),
            promise: nil)
        if request.method != .HEAD && !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, !answering {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
