import XCTest

@testable import Viewer

final class ViewerRouteTests: XCTestCase {
    func testPathsOfTheViewer() {
        XCTAssertEqual(ViewerRoute(path: "/"), .home)
        XCTAssertEqual(ViewerRoute(path: "/metrics"), .metrics)
        XCTAssertEqual(ViewerRoute(path: "/view/hubble"), .viewer(name: "hubble"))
        XCTAssertEqual(ViewerRoute(path: "/images/hubble.dzi"), .descriptor(name: "hubble"))
        XCTAssertEqual(ViewerRoute(path: "/images/out.v2.dzi"), .descriptor(name: "out.v2"))
        XCTAssertEqual(
            ViewerRoute(path: "/images/hubble_files/11/3_2.png"),
            .tile(name: "hubble", level: 11, column: 3, row: 2, fileExtension: "png"))
    }

    /// Nothing that walks up, is encoded, signed, oversized or malformed names a route.
    func testTraversalAndMalformedPathsAreUnknown() {
        let refused = [
            "/images/../../etc/passwd", "/images/..%2f..%2fetc%2fpasswd.dzi", "/view/..", "/view/.hidden",
            "/images/..dzi", "/images/.dzi", "/images/%2e%2e.dzi", "/images/hubble_files/../0/0_0.png",
            "/images/hubble_files/-1/0_0.png", "/images/hubble_files/1/+0_0.png", "/images/hubble_files/1/0_0_0.png",
            "/images/hubble_files/9999999/0_0.png", "/images/hubble_files/1/0_0", "/images/hubble_files/1/0_0.png.png",
            "/images/a b.dzi", "/images/hubble_files/1/0_0.png/", "//etc/passwd", "/metrics/", "/view/",
            "/images/hubble_files/1/0_0.png/..", "/images/h\u{e9}.dzi",
        ]
        for path in refused {
            XCTAssertEqual(ViewerRoute(path: path), .unknown, path)
        }
    }

    func testServedNamesKeepASafeAlphabet() {
        XCTAssertEqual(ServedImage.baseName(of: "/data/run 1/out (final).tif"), "out__final_")
        XCTAssertEqual(ServedImage.baseName(of: "../..tif"), "image")
        XCTAssertEqual(ServedImage.baseName(of: "/x/.hidden.v2.tiff"), "hidden.v2")
        XCTAssertEqual(ServedImage.baseName(of: "café.png"), "caf_")
        for path in ["/data/run 1/out (final).tif", "../..tif", "/x/.hidden.v2.tiff", "café.png"] {
            XCTAssertTrue(ViewerRoute.isName(ServedImage.baseName(of: path)), path)
        }
    }
}
