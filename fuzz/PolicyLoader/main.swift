// libFuzzer target: PolicyLoader.load (YAML, the policy schema, CEL compilation of every rule).
import AirlockCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicyLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = PolicyLoader().load(bytes, file: "fuzz-policy.yaml")
    return 0
}
