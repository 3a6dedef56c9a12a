import Tensor

/// Limited-memory BFGS with box bounds on every variable (pixel values stay in range), as the
/// optimiser of the peers (Gatys, CNNMRF). A projected variant: the quasi-Newton direction is
/// computed on the free variables (those not held at a bound by their gradient), the step is
/// projected back into the box, and a backtracking line search asks for sufficient decrease
/// along the projected path.
///
/// All vectors (the m correction pairs included) are allocated once in `init`, so iterations
/// allocate nothing.
public final class LBFGS {
    public struct Settings: Sendable {
        /// Correction pairs kept (m).
        public var memory = 8
        public var lowerBound: Float = 0
        public var upperBound: Float = 1
        /// Length, in the max norm, of the very first step (before any curvature is known).
        public var initialStep: Float = 0.05
        /// Backtracking halvings tried before giving up on an iteration's direction.
        public var maximumBacktracks = 8
        public init() {}
    }

    public let settings: Settings
    private let shape: Shape
    private var steps: [Tensor]  // s_k = x_{k+1} − x_k
    private var changes: [Tensor]  // y_k = g_{k+1} − g_k
    private var curvatures: [Double]  // 1 / (y_k · s_k)
    private var stored = 0
    private var newest = -1
    private let gradient, trialGradient, direction, trial: Tensor
    private var alphas: [Double]

    public init(shape: Shape, settings: Settings = Settings()) {
        precondition(settings.memory >= 1 && settings.lowerBound < settings.upperBound, "bad L-BFGS settings")
        self.settings = settings
        self.shape = shape
        steps = (0..<settings.memory).map { _ in Tensor(shape) }
        changes = (0..<settings.memory).map { _ in Tensor(shape) }
        curvatures = [Double](repeating: 0, count: settings.memory)
        alphas = curvatures
        gradient = Tensor(shape)
        trialGradient = Tensor(shape)
        direction = Tensor(shape)
        trial = Tensor(shape)
    }

    /// Forgets the curvature pairs (for example when the objective changes between levels).
    public func reset() {
        stored = 0
        newest = -1
    }

    /// Runs `iterations` iterations from `x` (updated in place, first projected into the box).
    ///
    /// - Parameters:
    ///   - objective: writes ∂f/∂x at its first argument into its second and returns f.
    ///   - refresh: if given, called at the start of every iteration after the first to
    ///     re-evaluate f and ∂f/∂x at the current point when the objective itself moves between
    ///     iterations (the patch losses' nearest neighbours are searched anew there and held fixed
    ///     during the line search, where `objective` is called).
    ///   - iterationFinished: called after each iteration with its index and x (to watch the run).
    /// - Returns: f after each iteration (the loss trace), preceded by f at the start.
    @discardableResult
    public func minimize(
        _ x: Tensor, iterations: Int, objective: (Tensor, Tensor) throws -> Double,
        refresh: ((Tensor, Tensor) throws -> Double)? = nil,
        iterationFinished: ((Int, Tensor) throws -> Void)? = nil
    ) throws -> [Double] {
        precondition(x.shape == shape, "L-BFGS planned for \(shape), given \(x.shape)")
        project(x)
        var value = try refresh?(x, gradient) ?? objective(x, gradient)
        var trace = [value]
        for iteration in 0..<iterations {
            if let refresh, iteration > 0 { value = try refresh(x, gradient) }
            computeDirection(at: x)
            var directional = direction.dot(gradient)
            if !(directional < 0) {
                // Not a descent direction (curvature pairs gone stale): restart from steepest descent.
                reset()
                computeDirection(at: x)
                directional = direction.dot(gradient)
                if !(directional < 0) { break }  // at a constrained stationary point
            }
            var step: Float = stored == 0 ? settings.initialStep / max(direction.maximumMagnitude, 1e-20) : 1
            var accepted = false
            for _ in 0...settings.maximumBacktracks {
                trial.copy(from: x)
                trial.add(direction, scaledBy: step)
                project(trial)
                let trialValue = try objective(trial, trialGradient)
                // Armijo condition along the projected path: f(x⁺) ≤ f(x) + c · g·(x⁺ − x).
                if trialValue <= value + 1e-4 * dotDifference(gradient, trial, x) {
                    remember(from: x, to: trial, oldGradient: gradient, newGradient: trialGradient)
                    x.copy(from: trial)
                    gradient.copy(from: trialGradient)
                    value = trialValue
                    accepted = true
                    break
                }
                step *= 0.5
            }
            if !accepted { reset() }
            trace.append(value)
            try iterationFinished?(iteration, x)
        }
        return trace
    }

    /// d = −H·g on the free variables (two-loop recursion), zero on variables held at a bound.
    private func computeDirection(at x: Tensor) {
        let lower = settings.lowerBound, upper = settings.upperBound
        for i in 0..<x.count {
            let g = gradient[flat: i], v = x[flat: i]
            let blocked = (v <= lower && g > 0) || (v >= upper && g < 0)
            direction[flat: i] = blocked ? 0 : -g
        }
        guard stored > 0 else { return }
        let m = settings.memory
        var k = newest
        for _ in 0..<stored {
            alphas[k] = curvatures[k] * steps[k].dot(direction)
            direction.add(changes[k], scaledBy: Float(-alphas[k]))
            k = (k - 1 + m) % m
        }
        // Initial Hessian scale γ = s·y / y·y of the newest pair.
        let gamma = 1 / (curvatures[newest] * changes[newest].dot(changes[newest]))
        direction.scale(by: Float(gamma))
        k = (newest - stored + 1 + m) % m
        for _ in 0..<stored {
            let beta = curvatures[k] * changes[k].dot(direction)
            direction.add(steps[k], scaledBy: Float(alphas[k] - beta))
            k = (k + 1) % m
        }
        for i in 0..<x.count {
            let g = gradient[flat: i], v = x[flat: i]
            if (v <= lower && g > 0) || (v >= upper && g < 0) { direction[flat: i] = 0 }
        }
    }

    private func remember(from old: Tensor, to new: Tensor, oldGradient: Tensor, newGradient: Tensor) {
        let slot = (newest + 1) % settings.memory
        let s = steps[slot], y = changes[slot]
        var sy = 0.0
        for i in 0..<s.count {
            s[flat: i] = new[flat: i] - old[flat: i]
            y[flat: i] = newGradient[flat: i] - oldGradient[flat: i]
            sy += Double(s[flat: i]) * Double(y[flat: i])
        }
        guard sy > 1e-12 else { return }  // keep H positive definite: skip pairs without curvature
        curvatures[slot] = 1 / sy
        newest = slot
        stored = min(stored + 1, settings.memory)
    }

    private func project(_ x: Tensor) {
        x.clamp(to: settings.lowerBound...settings.upperBound)
    }

    /// g · (a − b).
    private func dotDifference(_ g: Tensor, _ a: Tensor, _ b: Tensor) -> Double {
        g.dot(a) - g.dot(b)
    }
}
