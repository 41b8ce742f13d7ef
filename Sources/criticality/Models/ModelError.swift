/// An invalid set of model parameters: one line, exit status 2.
struct ModelError: Error, CustomStringConvertible {
    let description: String
}
