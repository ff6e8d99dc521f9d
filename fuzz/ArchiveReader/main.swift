// libFuzzer target: ArchiveReader(bytes:name:limits:) over arbitrary bytes, with small limits,
// keeping a prefix of each entry and opening nested archives.
import AirlockCore

let limits = BundleLimits(maxTotalBytes: 8 << 20, maxEntries: 256, maxCompressionRatio: 100,
                          ratioGraceBytes: 64 << 10, maxInMemoryFileBytes: 64 << 10, maxNestingDepth: 1)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchiveReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let reader = ArchiveReader(bytes: bytes, name: "fuzz.tar", limits: limits)
    _ = try? reader.read(plan: { entry in
        if entry.path.hasSuffix(".tar") || entry.path.hasSuffix(".tgz") {
            return EntryReadPlan(inner: { inner in _ = try? inner.read(visit: { _ in }) })
        }
        return EntryReadPlan(capture: .prefix(512))
    }, visit: { _ in })
    return 0
}
