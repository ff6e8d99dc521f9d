// libFuzzer target: YAMLLoader.load over arbitrary bytes, with the default limits and with
// tight ones (so the depth, alias and size checks are reached by small inputs).
import YAMLSource

let tight = YAMLLimits(maxDocumentBytes: 2048, maxDepth: 16, aliasExpansionFactor: 2, aliasExpansionFloor: 64)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAMLLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for limits in [YAMLLimits(), tight] {
        let result = YAMLLoader(limits: limits).load(bytes, file: "fuzz.yaml")
        for error in result.errors {
            precondition(error.line >= 1 && error.column >= 1, "error without a position: \(error.message)")
        }
    }
    return 0
}
