import ImageIO
import Tensor
import Transfer

/// A worker announces itself and asks for work.
public struct ReadyMessage: Equatable, Sendable {
    /// A name for logs (host and process).
    public var worker: String
    /// Engine threads the worker runs with.
    public var threads: Int
    /// The worker's SGEMM kernel and CPU extensions (`BLASKernel.description`, e.g. "Zen (avx2)"):
    /// tiles solved on different kernels may differ in their last bits, so the coordinator warns.
    public var kernel: String

    public init(worker: String, threads: Int, kernel: String = BLASKernel.current.description) {
        self.worker = worker
        self.threads = threads
        self.kernel = kernel
    }
}

/// "Still alive", both ways (Paranoid Pirate).
public struct HeartbeatMessage: Equatable, Sendable {
    public var sequence: UInt64
    public init(sequence: UInt64) { self.sequence = sequence }
}

/// What a worker needs to build one level's style bank itself (sent once per level per worker):
/// the level's style pixels, the style's DSS groups at that size, the groups' weights, and the
/// transfer settings the objective uses.
public struct StyleMessage: Sendable {
    /// The job (its `RunManifest.jobHash`, or a name for a local run).
    public var job: String
    public var level: Int
    /// Names this style set in the tasks that use it.
    public var styleSet: UInt64
    public var settings: TransferSettings
    /// RGB 3×Hs×Ws in [0, 1], already at the level's size.
    public var style: Tensor
    /// DSS groups of the style at the style's size (Kᵢ×Hs×Ws), empty outside `dss` mode.
    public var styleSemantics: [Tensor]
    public var semanticWeights: [Float]
    /// Which of the groups is the segmentation (the approximate search keeps patches to their region).
    public var segmentationGroup: Int?
    /// This painting's share of the style loss (1 unless several are blended).
    public var share: Float = 1
    /// The other paintings of a blend (neural-style's `-style_blend_weights`), each a bank of its
    /// own on the worker; a task carries the content's DSS groups for each (`blendSemantics`).
    public var blend: [BlendedStyle] = []

    public init(job: String, level: Int, styleSet: UInt64, settings: TransferSettings, style: Tensor,
                styleSemantics: [Tensor], semanticWeights: [Float], segmentationGroup: Int? = nil,
                share: Float = 1, blend: [BlendedStyle] = []) {
        self.segmentationGroup = segmentationGroup
        self.share = share
        self.blend = blend
        self.job = job
        self.level = level
        self.styleSet = styleSet
        self.settings = settings
        self.style = style
        self.styleSemantics = styleSemantics
        self.semanticWeights = semanticWeights
    }
}

/// One more painting of a blended STYLE: its pixels and DSS groups at the level's size, the
/// groups' weights, its segmentation group and its share, as `StyleMessage` has them for the first.
public struct BlendedStyle: Sendable {
    public var style: Tensor
    public var styleSemantics: [Tensor]
    public var semanticWeights: [Float]
    public var segmentationGroup: Int?
    public var share: Float

    public init(style: Tensor, styleSemantics: [Tensor], semanticWeights: [Float], segmentationGroup: Int?,
                share: Float) {
        self.style = style
        self.styleSemantics = styleSemantics
        self.semanticWeights = semanticWeights
        self.segmentationGroup = segmentationGroup
        self.share = share
    }
}

/// One tile to optimise: everything over the tile's context rectangle (result + halo).
public struct TaskMessage: Sendable {
    public var key: TileResultKey
    public var styleSet: UInt64
    /// The context rectangle in level pixels (for logs and checks).
    public var context: PixelRect
    /// The result rectangle inside the context (context coordinates): the only pixels that move.
    public var result: PixelRect
    public var iterations: Int
    /// Seeds everything random in the tile's optimisation: the result depends on the task alone.
    public var seed: UInt64
    /// The canvas pixels the tile starts from, 3×h×w over the context.
    public var initial: Tensor
    /// The content at this level over the context, 3×h×w.
    public var content: Tensor
    /// The content's DSS groups over the context (Kᵢ×h×w), empty outside `dss` mode.
    public var contentSemantics: [Tensor]
    /// The content's DSS groups paired with each other painting of a blended STYLE, in its order.
    public var blendSemantics: [[Tensor]]

    public init(key: TileResultKey, styleSet: UInt64, context: PixelRect, result: PixelRect, iterations: Int, seed: UInt64,
                initial: Tensor, content: Tensor, contentSemantics: [Tensor], blendSemantics: [[Tensor]] = []) {
        self.blendSemantics = blendSemantics
        self.key = key
        self.styleSet = styleSet
        self.context = context
        self.result = result
        self.iterations = iterations
        self.seed = seed
        self.initial = initial
        self.content = content
        self.contentSemantics = contentSemantics
    }
}

/// A failure a peer reports: a task it could not run (with its key) or a message it refused.
public struct ErrorMessage: Equatable, Sendable {
    public var key: TileResultKey?
    public var reason: String

    public init(key: TileResultKey?, reason: String) {
        self.key = key
        self.reason = reason
    }
}

/// Every message of the coordinator–worker protocol (DESIGN.md §3).
public enum Message: Sendable {
    case ready(ReadyMessage)
    case heartbeat(HeartbeatMessage)
    case style(StyleMessage)
    case task(TaskMessage)
    /// A finished tile: its optimised result pixels (in level pixels) and its loss trace, as the
    /// store files it.
    case result(TileResultRecord)
    case error(ErrorMessage)

    /// The type byte of each message in a frame header.
    public enum Kind: UInt8, Sendable, CaseIterable {
        case ready = 1, heartbeat, style, task, result, error
    }

    public var kind: Kind {
        switch self {
        case .ready: return .ready
        case .heartbeat: return .heartbeat
        case .style: return .style
        case .task: return .task
        case .result: return .result
        case .error: return .error
        }
    }
}
