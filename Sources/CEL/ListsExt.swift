enum ListsExt {
    static func register(_ t: inout FunctionTable) {}
}
