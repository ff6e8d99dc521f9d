/// A fact about a file of a chart archive, named inside the archive (`x/values.yaml`) until the
/// archive holding it puts its own path before (`charts/x.tgz!x/values.yaml`).
protocol ChartFileFact {
    var file: String { get set }
}

extension Array where Element: ChartFileFact {
    /// The facts with each file named inside `archive`.
    func inside(_ archive: String) -> [Element] {
        map { fact in
            var fact = fact
            fact.file = archive + "!" + fact.file
            return fact
        }
    }
}

extension ReferencedImage: ChartFileFact {}
extension BundleValuesFile: ChartFileFact {}
extension ChartDependency: ChartFileFact {}
