/// The coarse-to-fine pyramid of one transfer (DESIGN.md §1): levels whose long side doubles
/// from `coarse_size` up to the output's, the last level being the output size itself.
/// The coarsest level is optimised longest; each finer level starts from the bicubic
/// upsampling of the level below.
public struct MultiScaleSchedule: Sendable, Equatable {
    public struct Level: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var iterations: Int
        /// This level's size over the output's (≤ 1).
        public var scale: Double
    }

    /// The smallest side an image may have: relu4_x features are 1/8 of the image, and the
    /// patch loss needs at least 3×3 of them.
    public static let minimumSide = 24

    public let levels: [Level]

    /// - Parameters:
    ///   - width, height: the output size.
    ///   - settings: `coarse_size` and `iterations` are used.
    public init(width: Int, height: Int, settings: TransferSettings) {
        let long = max(width, height)
        var sides: [Int] = []
        var side = settings.coarseSize
        while side < long {
            sides.append(side)
            side *= 2
        }
        sides.append(long)
        // A very elongated image would give coarse levels thinner than the network's minimum:
        // those levels are skipped (the output level itself is always kept).
        let usable = sides.filter { side in
            side == long || Double(min(width, height)) * Double(side) / Double(long) >= Double(Self.minimumSide)
        }
        levels = usable.enumerated().map { index, side in
            let scale = Double(side) / Double(long)
            return Level(
                width: max(1, Int((Double(width) * scale).rounded())),
                height: max(1, Int((Double(height) * scale).rounded())),
                iterations: settings.iterations(atLevel: index), scale: scale)
        }
    }
}
