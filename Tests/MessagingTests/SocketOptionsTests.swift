import Foundation
import Messaging
import XCTest

final class SocketOptionsTests: MessagingTestCase {
    /// `maxMessageSize`: a peer that sends more is cut off and its message never delivered, while
    /// the ROUTER goes on serving its other peers (over TCP, where libzmq enforces the limit).
    func testOversizeMessageIsDroppedAndOthersAreServed() throws {
        var options = SocketOptions()
        options.maxMessageSize = 1000
        let (router, endpoint) = try boundRouter(options)
        let greedy = try connectedDealer(endpoint)
        let modest = try connectedDealer(endpoint)

        try modest.send(frames("before"))
        XCTAssertEqual(text(try router.receive(timeout: Self.patience))?.last, "before")
        try greedy.send([Data(repeating: 0xAB, count: 5000)])
        XCTAssertNil(try router.receive(timeout: Self.silence), "the oversize message must not be delivered")
        let justFits = Data(repeating: 1, count: 900)
        try modest.send([justFits])
        XCTAssertEqual(try router.receive(timeout: Self.patience)?.last, justFits)
        XCTAssertNil(try router.receive(timeout: Self.silence))
    }

    /// Every option is accepted by libzmq, and a socket made with all of them still talks.
    func testAllOptionsTogether() throws {
        var options = SocketOptions()
        options.linger = .milliseconds(10)
        options.sendHighWaterMark = 50
        options.receiveHighWaterMark = 50
        options.maxMessageSize = 1 << 20
        options.heartbeat = Heartbeat(interval: .milliseconds(200))
        options.immediate = true
        options.reconnectInterval = .milliseconds(20)
        options.reconnectIntervalMax = .milliseconds(500)
        options.sendTimeout = .seconds(5)
        var routerOptions = options
        routerOptions.routerMandatory = true
        let (router, endpoint) = try boundRouter(routerOptions)
        options.routingID = [1, 2, 3]
        let dealer = try connectedDealer(endpoint, options)
        try dealer.send(frames("hello"))
        XCTAssertEqual(try router.receive(timeout: Self.patience), [Data([1, 2, 3]), Data("hello".utf8)])
        try router.send([Data([1, 2, 3]), Data("back".utf8)])
        XCTAssertEqual(text(try dealer.receive(timeout: Self.patience)), ["back"])
    }

    func testHeartbeatDefaultsToALivenessOfThree() {
        let beat = Heartbeat(interval: .seconds(1))
        XCTAssertEqual(beat.timeout, .seconds(3))
        XCTAssertEqual(beat.timeToLive, .seconds(3))
    }

    /// Values libzmq refuses are errors naming the option, and the half-made socket is closed
    /// (tear-down closes the context, which fails if a socket were left open).
    func testRefusedValuesNameTheOption() throws {
        var options = SocketOptions()
        options.heartbeat = Heartbeat(interval: .seconds(1), timeToLive: .seconds(100_000))  // above 6553.5 s
        XCTAssertThrowsError(try context.socket(.dealer, options: options)) { error in
            guard case MessagingError.call("zmq_setsockopt(ZMQ_HEARTBEAT_TTL)", EINVAL, _) = error else {
                return XCTFail("\(error)")
            }
        }
        for id in [[UInt8](), [0, 1], [UInt8](repeating: 7, count: 256)] {
            var options = SocketOptions()
            options.routingID = id
            XCTAssertThrowsError(try context.socket(.dealer, options: options)) { error in
                guard case MessagingError.misuse("zmq_setsockopt(ZMQ_ROUTING_ID)", _) = error else {
                    return XCTFail("\(error)")
                }
            }
        }
    }
}
