// libFuzzer target: SemanticVersion (Kubernetes' semver) parsing, strict and normalized, and
// precedence; the input is split at the first newline into two versions that are compared both
// ways.
import AirlockCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSemVer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    for part in parts {
        guard let normalized = SemanticVersion(part, normalize: true) else {
            precondition(SemanticVersion(part) == nil, "strictly a version, not when normalized: \(part)")
            continue
        }
        precondition(SemanticVersion(normalized.description) == normalized, "a normalized version does not read back: \(part)")
        if let strict = SemanticVersion(part) { precondition(strict == normalized, "normalizing changed a strict version: \(part)") }
    }
    let versions = parts.compactMap { SemanticVersion($0, normalize: true) }
    if versions.count == 2 {
        let forward = versions[0].precedenceCompare(versions[1])
        let backward = versions[1].precedenceCompare(versions[0])
        precondition(forward == -backward, "precedence is not antisymmetric: \(versions[0]) vs \(versions[1])")
    }
    return 0
}
