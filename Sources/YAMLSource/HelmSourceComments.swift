/// Finds the `# Source: chart/templates/x.yaml` comments that `helm template` writes at the top
/// of each document (libyaml drops comments, so they are read from the bytes).
enum HelmSourceComments {
    private static let marker = Array("# Source: ".utf8)

    /// Every `# Source:` line with its 1-based line number, in order.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [(line: Int, path: String)] {
        var found: [(line: Int, path: String)] = []
        var line = 1
        var start = 0
        let count = bytes.count
        while start < count {
            let end = ByteScan.lineEnd(in: bytes, from: start)
            if end - start > marker.count, bytes[start] == UInt8(ascii: "#"), hasMarker(bytes, at: start) {
                var pathEnd = end
                while pathEnd > start + marker.count, bytes[pathEnd - 1] == UInt8(ascii: "\r") || bytes[pathEnd - 1] == UInt8(ascii: " ") {
                    pathEnd -= 1
                }
                found.append((line, String(decoding: bytes[(start + marker.count)..<pathEnd], as: UTF8.self)))
            }
            line += 1
            start = end + 1
        }
        return found
    }

    private static func hasMarker(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        for (offset, byte) in marker.enumerated() where bytes[start + offset] != byte { return false }
        return true
    }
}
