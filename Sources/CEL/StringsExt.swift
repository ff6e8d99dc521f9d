enum StringsExt {
    static func register(_ t: inout FunctionTable) {}
}
