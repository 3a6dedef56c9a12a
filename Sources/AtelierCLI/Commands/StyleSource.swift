/// One painting of a job: its image, its optional maps (segmentation, lighting) and its share of
/// the style loss (neural-style's `-style_blend_weights`). `stylize` takes several
/// (`--style A --style B --style-weights 0.7,0.3`) and blends them (`StylizeJob.blended`).
struct StyleSource: Equatable {
    var path: String
    var seg: String?
    var light: String?
    /// The share of the style loss (the shares of a job's styles sum to 1).
    var weight: Double = 1

    /// The styles of `paths`, each with the map of the same rank (`segs` and `lights` empty, or
    /// one per style) and its weight (`weights` empty: equal shares; else one per style, made to
    /// sum to 1).
    /// - Throws: `UsageError` naming the flag whose count does not match, or a weight that is not
    ///   a number ≥ 0, or weights that are all 0.
    static func make(paths: [String], segs: [String], lights: [String], weights: [Double]) throws -> [StyleSource] {
        func check(_ values: [Any], _ flag: String) throws {
            guard values.isEmpty || values.count == paths.count else {
                throw UsageError(
                    "\(flag): \(values.count) given for \(paths.count) --style; give one per --style, in order")
            }
        }
        try check(segs, "--style-seg")
        try check(lights, "--style-light")
        try check(weights, "--style-weights")
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw UsageError("--style-weights: each weight must be a number ≥ 0, not \(weights)")
        }
        let total = weights.isEmpty ? Double(paths.count) : weights.reduce(0, +)
        guard total > 0 else { throw UsageError("--style-weights: the weights sum to 0; give at least one above 0") }
        return paths.indices.map { index in
            StyleSource(
                path: paths[index], seg: segs.isEmpty ? nil : segs[index], light: lights.isEmpty ? nil : lights[index],
                weight: (weights.isEmpty ? 1 : weights[index]) / total)
        }
    }
}
