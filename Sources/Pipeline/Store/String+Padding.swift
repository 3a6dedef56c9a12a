extension String {
    /// The string with leading zeros up to `width` characters (tile file names sort in tile order;
    /// `\u` escapes have four digits).
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
