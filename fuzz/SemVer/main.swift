// libFuzzer target: SemanticVersion parsing and precedence; the input is split at the first
// newline into two versions that are compared both ways.
import AirlockCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSemVer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    let versions = parts.compactMap { SemanticVersion($0) }
    for version in versions { _ = version.description }
    if versions.count == 2 {
        let forward = versions[0].precedenceCompare(versions[1])
        let backward = versions[1].precedenceCompare(versions[0])
        precondition(forward == -backward, "precedence is not antisymmetric: \(versions[0]) vs \(versions[1])")
    }
    return 0
}
