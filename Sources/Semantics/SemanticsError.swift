/// The one error type of Semantics (STYLE.md §2). Every case names the map it is about and says
/// why, in one line, so the CLI can print it as `atelier: <description>`.
public enum SemanticsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The content's and the style's segmentation maps have no dominant colour in common, so no
    /// region of the content has a partner in the style.
    case noSharedColours(contentMap: String, styleMap: String)
    /// A segmentation map that is not colour-coded: fewer than half of its pixels lie inside
    /// regions of one solid colour (a photo given as a map, say).
    case notColourCoded(map: String)
    /// One image of the pair has a map (segmentation or lighting) and the other has none.
    case missingPartnerMap(given: String, role: MapRole, kind: MapKind)

    /// Which image of the pair a map belongs to.
    public enum MapRole: String, Sendable {
        case content, style

        /// The other image of the pair.
        public var partner: MapRole { self == .content ? .style : .content }
    }

    /// What a user-given map says about its image.
    public enum MapKind: String, Sendable {
        case segmentation, lighting
    }

    public var description: String {
        switch self {
        case .noSharedColours(let content, let style):
            return "\(content) and \(style) share no region colour: the same colour must mark the same kind of"
                + " region in both maps"
        case .notColourCoded(let map):
            return "\(map): not a colour-coded map: most of it is not solid regions of one colour"
        case .missingPartnerMap(let given, let role, let kind):
            return "\(given) is a \(role) \(kind) map but the \(role.partner) has none: give both or neither"
        }
    }
}
