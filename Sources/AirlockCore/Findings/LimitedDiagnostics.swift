/// The diagnostics of one file, listed up to `maxPerFile`; the rest are counted in one more, so
/// that a file of many broken entries (`--- a` a million times, `- {}` in an exceptions file)
/// costs memory and report bytes by this count, not by its size (each error took about 1 KB,
/// 170 times the 6 bytes of input that made it).
struct LimitedDiagnostics: Sendable {
    static let maxPerFile = 1_000

    private(set) var listed: [Diagnostic] = []
    private var omitted = 0
    private var firstOmitted: Diagnostic?

    init(_ diagnostics: [Diagnostic] = []) { append(diagnostics) }

    mutating func append(_ diagnostics: [Diagnostic]) {
        let room = max(0, Self.maxPerFile - listed.count)
        listed += diagnostics.prefix(room)
        if diagnostics.count > room {
            firstOmitted = firstOmitted ?? diagnostics[room]
            omitted += diagnostics.count - room
        }
    }

    mutating func append(_ other: LimitedDiagnostics) {
        append(other.listed)
        if other.omitted > 0 {
            firstOmitted = firstOmitted ?? other.firstOmitted
            omitted += other.omitted
        }
    }

    /// The listed diagnostics, then one counting the others, of the kind and at the place of the
    /// first of them.
    var all: [Diagnostic] {
        guard let firstOmitted else { return listed }
        return listed + [Diagnostic(kind: firstOmitted.kind, message: "\(omitted) more errors in this file are not listed (at most \(Self.maxPerFile) are)", location: firstOmitted.location)]
    }
}
