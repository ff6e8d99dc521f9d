/// Counts what one read has consumed and stops it at the first limit crossed.
final class ReadBudget {
    let limits: BundleLimits
    let archive: String
    private(set) var entries = 0
    /// Declared sizes of all entries, plus any bytes read beyond a declared size.
    private(set) var bytes: Int64 = 0
    /// Zeros of sparse holes hashed so far: stored in no stream, yet read and hashed like data,
    /// so they count on the uncompressed side of the ratio.
    private(set) var holeBytes: Int64 = 0
    /// Reports (uncompressed, compressed) bytes so far; `nil` for folders.
    var ratioProbe: (() -> (Int64, Int64))?

    init(limits: BundleLimits, archive: String) {
        self.limits = limits
        self.archive = archive
    }

    func countEntry(declaredSize: Int64) throws(ArchiveReadError) {
        entries += 1
        if entries > limits.maxEntries {
            throw .limitExceeded(archive: archive, limit: .entries, allowed: "\(limits.maxEntries) entries", observed: "\(entries) entries")
        }
        try addBytes(max(0, declaredSize))
    }

    func addBytes(_ count: Int64) throws(ArchiveReadError) {
        bytes += count
        if bytes > limits.maxTotalBytes {
            throw .limitExceeded(archive: archive, limit: .totalBytes, allowed: "\(limits.maxTotalBytes) bytes", observed: "\(bytes) bytes")
        }
    }

    func addHoleBytes(_ count: Int64) {
        holeBytes += count
    }

    func checkRatio() throws(ArchiveReadError) {
        guard let ratioProbe else { return }
        let (streamed, compressed) = ratioProbe()
        let uncompressed = streamed + holeBytes
        guard uncompressed > limits.ratioGraceBytes else { return }
        let ratio = Double(uncompressed) / Double(max(compressed, 1))
        if ratio > limits.maxCompressionRatio {
            throw .limitExceeded(
                archive: archive, limit: .compressionRatio,
                allowed: "\(Self.whole(limits.maxCompressionRatio)):1",
                observed: "\(Self.whole(ratio)):1 (\(uncompressed) bytes from \(compressed))")
        }
    }

    /// A ratio as a whole number when it is one that fits, else as written.
    private static func whole(_ value: Double) -> String {
        value.isFinite && value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String((value * 10).rounded() / 10)
    }
}
