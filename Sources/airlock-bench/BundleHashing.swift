import AirlockCore
import Foundation

/// Throughput of reading large air-gap bundles: `FileDigest` (streaming SHA-256 of one file) and
/// `ArchiveReader` over a bundle tarball, plain and gzip, which hashes every entry and the
/// tarball itself. The bundle is deterministic incompressible data (as image layers are, being
/// compressed already), written to a temporary folder and removed afterwards.
struct BundleHashing {
    /// Payload size in MiB, split over `layerCount` files under images/.
    var megabytes: Int
    var runs: Int
    var seed: UInt64
    private let layerCount = 8

    func run() throws {
        guard megabytes > 0 else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-bench-bundle")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let entries = bundleEntries()
        let tar = folder.appendingPathComponent("airgap-bundle-bench.tar").path
        let gzip = folder.appendingPathComponent("airgap-bundle-bench.tar.gz").path
        try Data(try TestArchiveBuilder.tar(entries)).write(to: URL(fileURLWithPath: tar))
        try Data(try TestArchiveBuilder.tar(entries, compression: .gzip)).write(to: URL(fileURLWithPath: gzip))

        print(String(format: "\nbundle hashing: %d MiB payload in %d files, min / median seconds and MB/s of payload", megabytes, layerCount))
        let payload = Double(megabytes)
        func row(_ name: String, _ body: () throws -> Void) throws {
            let timing = try Timing.measure(runs: runs, body)
            print("  " + name.padding(toLength: 42, withPad: " ", startingAt: 0) + String(format: "%8.3f %8.3f   %7.1f MB/s (min)  %7.1f MB/s (median)",
                         timing.min, timing.median, payload / timing.min, payload / timing.median))
        }
        try row("FileDigest sha256 of the .tar") { _ = try FileDigest.sha256(ofFileAt: tar) }
        try row("ArchiveReader .tar (entries + tarball)") { try ArchiveReader(path: tar).read { _ in } }
        try row("ArchiveReader .tar.gz (entries + tarball)") { try ArchiveReader(path: gzip).read { _ in } }
    }

    /// manifest.yaml and `layerCount` layers of pseudo-random bytes (xorshift64 from `seed`).
    private func bundleEntries() -> [TestArchiveBuilder.Entry] {
        var state = seed | 1
        let layerBytes = (megabytes << 20) / layerCount
        var entries = [TestArchiveBuilder.Entry(path: "airgap-bundle-bench/manifest.yaml", kind: .file(Array("version: 1.0.0\n".utf8)), mode: 0o644)]
        for index in 0..<layerCount {
            var bytes = [UInt8](repeating: 0, count: layerBytes)
            bytes.withUnsafeMutableBytes { buffer in
                for offset in stride(from: 0, to: buffer.count - 7, by: 8) {
                    state ^= state << 13
                    state ^= state >> 7
                    state ^= state << 17
                    buffer.storeBytes(of: state, toByteOffset: offset, as: UInt64.self)
                }
            }
            entries.append(TestArchiveBuilder.Entry(path: "airgap-bundle-bench/images/layer-\(index).bin", kind: .file(bytes), mode: 0o644))
        }
        return entries
    }
}
