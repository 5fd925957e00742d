package io.smimedelivery.events.appconfig;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.DocumentType;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Parses a flat XML property list with the JDK's DOM parser, never loading the external DTD.
 *
 * <p>The DOCTYPE stays allowed because the plist must carry it. Loading external DTDs and
 * entities is switched off, external DTD access is limited to no protocol, and the entity
 * resolver throws. So a parse that tried to fetch the DTD fails instead of reaching the network.
 */
final class PlistTestParser {

    /** Parsed document: DOCTYPE identifiers, the plist version and the dict entries in order. */
    record ParsedPlist(String publicId, String systemId, String version, Map<String, Object> entries) {
    }

    private PlistTestParser() {
    }

    static ParsedPlist parse(String xml) throws Exception {
        Document document = newBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));

        DocumentType doctype = document.getDoctype();
        if (doctype == null || !"plist".equals(doctype.getName())) {
            throw new IllegalStateException("Missing plist DOCTYPE");
        }

        Element root = document.getDocumentElement();
        if (!"plist".equals(root.getTagName())) {
            throw new IllegalStateException("Root element is <" + root.getTagName() + ">, expected <plist>");
        }
        List<Element> rootChildren = childElements(root);
        if (rootChildren.size() != 1 || !"dict".equals(rootChildren.get(0).getTagName())) {
            throw new IllegalStateException("<plist> must contain exactly one <dict>");
        }

        Map<String, Object> entries = readDict(rootChildren.get(0));
        return new ParsedPlist(doctype.getPublicId(), doctype.getSystemId(), root.getAttribute("version"), entries);
    }

    private static DocumentBuilder newBuilder() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setValidating(false);
        factory.setNamespaceAware(false);

        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setEntityResolver((publicId, systemId) -> {
            throw new IllegalStateException("Parser tried to resolve external entity " + systemId);
        });
        return builder;
    }

    /** Reads alternating {@code <key>} and value elements. Only true, false and string are expected. */
    private static Map<String, Object> readDict(Element dict) {
        List<Element> children = childElements(dict);
        if (children.size() % 2 != 0) {
            throw new IllegalStateException("<dict> has an odd number of elements: " + children.size());
        }

        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < children.size(); i += 2) {
            Element keyElement = children.get(i);
            if (!"key".equals(keyElement.getTagName())) {
                throw new IllegalStateException("Expected <key> at position " + i + ", found <"
                        + keyElement.getTagName() + ">");
            }
            String key = keyElement.getTextContent();
            Element valueElement = children.get(i + 1);
            Object value = switch (valueElement.getTagName()) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "string" -> valueElement.getTextContent();
                default -> throw new IllegalStateException("Unexpected value element <"
                        + valueElement.getTagName() + "> for key " + key);
            };
            if (entries.put(key, value) != null) {
                throw new IllegalStateException("Duplicate key " + key);
            }
        }
        return entries;
    }

    private static List<Element> childElements(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.ELEMENT_NODE) {
                elements.add((Element) child);
            }
        }
        return elements;
    }
}
