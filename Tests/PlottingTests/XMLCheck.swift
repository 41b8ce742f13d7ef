import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses SVG text with `XMLParser`, recording element names and text content.
final class SVGInspector: NSObject, XMLParserDelegate {
    /// Element names in document order.
    private(set) var elements: [String] = []
    /// Concatenated character data of each `<text>` element.
    private(set) var texts: [String] = []
    /// Attributes of each element, in document order.
    private(set) var attributes: [[String: String]] = []
    private var currentText: String?

    /// Whether the document parsed as well-formed XML.
    private(set) var isWellFormed = false

    init(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        isWellFormed = parser.parse()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append(elementName)
        attributes.append(attributeDict)
        if elementName == "text" { currentText = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        currentText? += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if elementName == "text", let text = currentText {
            texts.append(text)
            currentText = nil
        }
    }

    /// Number of elements named `name`.
    func count(_ name: String) -> Int {
        elements.filter { $0 == name }.count
    }
}
