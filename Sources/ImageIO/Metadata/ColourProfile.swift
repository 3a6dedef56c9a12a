import Foundation

/// An embedded ICC profile, read only far enough to tell whether it looks like sRGB. Atelier
/// works in sRGB and does not convert colours: a picture in another space (Display P3, Adobe RGB,
/// ProPhoto) is read as if it were sRGB, which shifts its colours a little, so readers warn.
///
/// The rule: a profile looks like sRGB when its description tag (`desc`, as ICC v2 text or v4
/// `mluc` UTF-16) mentions "sRGB" (as "sRGB IEC61966-2.1", "sRGB built-in" and the v4 preference
/// profile do), or when it describes grey (`GRAY` colour space: a grey picture has no gamut to
/// get wrong). Anything else, an unreadable description included, is "not sRGB". Every offset
/// is checked against the buffer.
public struct ColourProfile: Sendable, Equatable {
    /// The profile's colour space signature ("RGB ", "GRAY", "CMYK"), or "" when unreadable.
    public var colourSpace: String
    /// The profile's description, when it has one that could be read.
    public var description: String?

    public init(icc bytes: [UInt8]) {
        func slice(at offset: Int, count: Int) -> ArraySlice<UInt8>? {
            guard offset >= 0, count >= 0, count <= bytes.count, offset <= bytes.count - count else { return nil }
            return bytes[offset..<offset + count]
        }
        func integer(at offset: Int, bytes count: Int) -> Int? {
            slice(at: offset, count: count)?.reduce(0) { $0 << 8 | Int($1) }
        }
        func text(at offset: Int, count: Int) -> String? {
            slice(at: offset, count: count).map { String(decoding: $0, as: UTF8.self) }
        }
        colourSpace = text(at: 16, count: 4) ?? ""
        description = nil
        guard let tags = integer(at: 128, bytes: 4) else { return }
        for index in 0..<min(tags, 1024) {
            let entry = 132 + 12 * index
            guard text(at: entry, count: 4) == "desc", let offset = integer(at: entry + 4, bytes: 4) else { continue }
            switch text(at: offset, count: 4) {
            case "desc":  // ICC v2 textDescriptionType: a count, then ASCII with a NUL
                if let count = integer(at: offset + 8, bytes: 4), let ascii = text(at: offset + 12, count: count) {
                    description = String(ascii.prefix { $0 != "\0" })
                }
            case "mluc":  // ICC v4 multiLocalizedUnicodeType: the first record, UTF-16BE
                if let length = integer(at: offset + 20, bytes: 4), let start = integer(at: offset + 24, bytes: 4),
                    let utf16 = slice(at: offset + start, count: length).map(Array.init)
                {
                    let units = stride(from: 0, to: utf16.count - 1, by: 2).map {
                        UInt16(utf16[$0]) << 8 | UInt16(utf16[$0 + 1])
                    }
                    description = String(decoding: units, as: UTF16.self)
                }
            default: break
            }
            return
        }
    }

    /// Whether the picture can be taken as sRGB (the rule in the type's comment).
    public var looksLikeSRGB: Bool {
        colourSpace == "GRAY" || (description?.range(of: "srgb", options: .caseInsensitive) != nil)
    }

    /// The warning a reader gives for a profile that does not look like sRGB, naming the file.
    func warning(path: String) -> String? {
        guard !looksLikeSRGB else { return nil }
        let name = description.map { "\"\($0)\"" } ?? "an unnamed"
        return "\(path): has \(name) ICC colour profile, not sRGB; its colours are read as sRGB (not converted)"
    }
}
