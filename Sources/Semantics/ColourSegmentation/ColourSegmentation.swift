import ImageIO

/// Segmentation from the user's colour-coded maps (DESIGN.md §1): the dominant colours of each
/// map are its regions, every pixel goes to one of them, and the labels of the content map and
/// the style map are matched by colour, so the same label means the same kind of region in both.
///
/// A colour found in only one of the two maps keeps a label of its own rather than being merged
/// into the nearest shared colour: map colours are names, and red being near dark red says
/// nothing about the regions they mark. Such a label has no partner, so its patches get no help
/// (and no hindrance) from the semantic term, which is what an unmatched region should get.
public struct ColourSegmentation: Sendable {
    /// Colours closer than this (Euclidean, RGB in 0…1) are the same region colour: about 12
    /// levels of 255, which absorbs noisy painting and keeps apart any colours a person would
    /// choose to mean different things.
    public var tolerance: Float = 12.0 / 255
    /// A colour marks a region when at least this many of its pixels are interior ones (see
    /// `DominantColours`): 16, about a 6×6 blob, the size of the smallest regions painted in the
    /// sample maps (Gogh's eyes) with room to spare.
    public var minimumInteriorPixels = 16

    public init() {}

    /// The labels of one map, at `size` (the map is resampled by nearest neighbour if its size
    /// differs). Labels are ordered by area, largest first.
    /// - Throws: `SemanticsError.notColourCoded` when the map is not mostly solid regions.
    public func labels(map: GuideMap, size: PixelSize) throws -> LabelMap {
        let pixels = ColourCodes(map.raster)
        let colours = try regionColours(of: pixels, map: map)
        return labelMap(pixels, colours: colours.map(\.colour), labelOfColour: Array(0..<colours.count), size: size)
    }

    /// The labels of the content's and the style's maps, with shared indices: labels shared by both
    /// maps first (largest first), then those only in the content map, then those only in the
    /// style map. Each map is resampled by nearest neighbour to its image's size.
    /// - Throws: `SemanticsError.noSharedColours` when the maps have no region colour in common,
    ///   `.notColourCoded` when one of them is not colour-coded.
    public func labels(
        contentMap: GuideMap, styleMap: GuideMap, contentSize: PixelSize, styleSize: PixelSize
    ) throws -> (content: LabelMap, style: LabelMap) {
        let contentPixels = ColourCodes(contentMap.raster), stylePixels = ColourCodes(styleMap.raster)
        let contentColours = try regionColours(of: contentPixels, map: contentMap)
        let styleColours = try regionColours(of: stylePixels, map: styleMap)
        let matching = ColourMatching(content: contentColours, style: styleColours, tolerance: tolerance)
        guard matching.sharedCount > 0 else {
            throw SemanticsError.noSharedColours(contentMap: contentMap.source, styleMap: styleMap.source)
        }
        let content = labelMap(
            contentPixels, colours: contentColours.map(\.colour), labelOfColour: matching.contentLabels,
            size: contentSize, palette: matching.palette)
        let style = labelMap(
            stylePixels, colours: styleColours.map(\.colour), labelOfColour: matching.styleLabels,
            size: styleSize, palette: matching.palette)
        return (content, style)
    }

    private func regionColours(of pixels: ColourCodes, map: GuideMap) throws -> [DominantColour] {
        let colours = DominantColours.find(
            in: pixels, tolerance: tolerance, minimumInteriorPixels: minimumInteriorPixels)
        // Inside its regions a painted map is solid: their interior pixels are nearly all of it
        // (over 90% in the sample maps), and almost none of a photo's.
        let interior = colours.reduce(0) { $0 + $1.interiorPixels }
        guard !colours.isEmpty, 2 * interior >= pixels.codes.count else {
            throw SemanticsError.notColourCoded(map: map.source)
        }
        return colours
    }

    /// Assigns the pixels to `colours`, renames colour i to label `labelOfColour[i]`, and resizes.
    private func labelMap(
        _ pixels: ColourCodes, colours: [SIMD3<Float>], labelOfColour: [Int], size: PixelSize,
        palette: [SIMD3<Float>]? = nil
    ) -> LabelMap {
        let assigned = pixels.assign(to: colours, tolerance: tolerance)
        let labels = assigned.map { Int32(labelOfColour[Int($0)]) }
        let palette = palette ?? colours
        return LabelMap(
            width: pixels.width, height: pixels.height, count: palette.count, labels: labels, palette: palette
        )
        .resized(width: size.width, height: size.height)
    }
}
