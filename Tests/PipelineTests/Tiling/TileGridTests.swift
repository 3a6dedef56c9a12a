import ImageIO
import Network
import Transfer
import XCTest

@testable import Pipeline

final class TileGridTests: XCTestCase {
    private func settings(size: Int = 64, overlap: Int = 16, halo: Int = 48, rounds: Int = 3) -> TileSettings {
        var settings = TileSettings()
        settings.size = size
        settings.overlap = overlap
        settings.halo = halo
        settings.rounds = rounds
        return settings
    }

    func testEveryPixelLiesInExactlyOneCoreInEveryRound() {
        for (width, height) in [(200, 150), (97, 301), (129, 81)] {
            for round in 0..<3 {
                let grid = TileGrid(width: width, height: height, round: round, settings: settings(), alignment: 8)
                var owners = [Int](repeating: 0, count: width * height)
                for tile in grid.tiles {
                    for y in tile.core.y..<tile.core.maxY {
                        for x in tile.core.x..<tile.core.maxX { owners[y * width + x] += 1 }
                    }
                }
                XCTAssertTrue(owners.allSatisfy { $0 == 1 }, "\(width)×\(height) round \(round)")
            }
        }
    }

    func testResultAndContextGrowTheCoreByOverlapAndHaloClippedToTheLevel() {
        let grid = TileGrid(width: 200, height: 150, round: 1, settings: settings(), alignment: 8)
        let bounds = PixelRect(width: 200, height: 150)
        XCTAssertGreaterThan(grid.count, 4)
        for (index, tile) in grid.tiles.enumerated() {
            XCTAssertEqual(tile.index, index)
            XCTAssertEqual(tile.result, tile.core.expanded(by: 16).intersection(bounds))
            XCTAssertEqual(tile.context, tile.result.expanded(by: 48).intersection(bounds))
            XCTAssertTrue(tile.context.contains(tile.result) && tile.result.contains(tile.core))
            XCTAssertEqual(tile.resultInContext.x, tile.result.x - tile.context.x)
            // Origins on the pooling grid, so a tile pools the same 2×2 blocks as the whole level.
            XCTAssertEqual(tile.context.x % 8, 0, "\(tile.context)")
            XCTAssertEqual(tile.context.y % 8, 0, "\(tile.context)")
        }
    }

    func testEachRoundShiftsTheSeamsByAnAlignedFractionOfTheTile() {
        // size 64 over 3 rounds: 0, 21.3 → 24, 42.7 → 40 (multiples of 8).
        let offsets = (0..<3).map { TileGrid(width: 300, height: 300, round: $0, settings: settings(), alignment: 8).offset }
        XCTAssertEqual(offsets, [0, 24, 40])
        var seams: [Set<Int>] = []
        for round in 0..<3 {
            let grid = TileGrid(width: 300, height: 300, round: round, settings: settings(), alignment: 8)
            let cuts = Set(grid.columnSpans.dropFirst().map(\.lowerBound))
            XCTAssertTrue(cuts.allSatisfy { ($0 + offsets[round]) % 64 == 0 }, "round \(round) cuts \(cuts.sorted())")
            XCTAssertEqual(grid.columnSpans.map(\.lowerBound), grid.rowSpans.map(\.lowerBound), "the shift is diagonal")
            seams.append(cuts)
        }
        XCTAssertTrue(seams[0].isDisjoint(with: seams[1]) && seams[1].isDisjoint(with: seams[2]), "no seam stays")
    }

    func testALevelThatFitsATileIsOneTileCoveringIt() {
        for (width, height) in [(80, 80), (64, 40), (24, 77)] {
            let grid = TileGrid(width: width, height: height, round: 0, settings: settings(), alignment: 8)
            XCTAssertTrue(grid.isSingleTile)
            let whole = PixelRect(width: width, height: height)
            XCTAssertEqual(grid.tiles, [Tile(index: 0, column: 0, row: 0, core: whole, result: whole, context: whole)])
        }
        // An axis that fits is not cut even when the other one is.
        let strip = TileGrid(width: 300, height: 70, round: 1, settings: settings(), alignment: 8)
        XCTAssertEqual(strip.rows, 1)
        XCTAssertGreaterThan(strip.columns, 1)
        XCTAssertTrue(strip.tiles.allSatisfy { $0.context.height == 70 && $0.core.height == 70 })
    }

    func testHaloAndAlignmentComeFromTheArchitecture() throws {
        let geometry = try TileGeometry(architecture: .vgg16, layers: ["relu3_1", "relu4_1", "relu4_2"])
        XCTAssertEqual(geometry.deepestLayer, "relu4_2")
        XCTAssertEqual(geometry.alignment, 8)
        XCTAssertEqual(geometry.minimumHalo, 40, "half of relu4_2's 76 px, rounded up to the stride")
        let shallow = try TileGeometry(architecture: .vgg16, layers: ["relu2_1"])
        XCTAssertEqual(shallow.alignment, 2)
        XCTAssertEqual(shallow.minimumHalo, 6, "relu2_1 sees 10 px")
        XCTAssertThrowsError(try TileGeometry(architecture: .vgg16, layers: ["relu9_9"]))
    }

    func testValidationNamesTheTileKey() throws {
        let layers = ["relu3_1", "relu4_1", "relu4_2"]
        XCTAssertNoThrow(try TileSettings().validate(architecture: .vgg16, layers: layers))
        let cases: [(WritableKeyPath<TileSettings, Int>, Int, String)] = [
            (\.size, 100, "tile.size"), (\.size, 8, "tile.size"), (\.overlap, 12, "tile.overlap"),
            (\.overlap, 512, "tile.overlap"), (\.halo, 32, "tile.halo"), (\.rounds, 0, "tile.rounds"),
        ]
        for (path, value, key) in cases {
            var settings = TileSettings()
            settings[keyPath: path] = value
            XCTAssertThrowsError(try settings.validate(architecture: .vgg16, layers: layers)) { error in
                guard case TransferError.setting(let named, let reason) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(named, key, reason)
                XCTAssertTrue(reason.contains("\(value)"), reason)
            }
        }
        var settings = TileSettings()
        XCTAssertThrowsError(try settings.set("width", to: 3)) { error in
            XCTAssertTrue("\(error)".hasPrefix("tile.width: unknown configuration key"), "\(error)")
        }
        XCTAssertThrowsError(try settings.set("size", to: 1.5))
        try settings.set("size", to: 256.0)
        XCTAssertEqual(settings.size, 256)
    }
}
