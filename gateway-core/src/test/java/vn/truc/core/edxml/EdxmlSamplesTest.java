package vn.truc.core.edxml;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.truc.core.edxml.EdxmlSamples.GENEROUS;
import static vn.truc.core.edxml.EdxmlSamples.utf8;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.truc.core.edxml.EdxmlPackage.AttachmentRef;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;
import vn.truc.core.edxml.EdxmlPackage.Kind;
import vn.truc.core.edxml.EdxmlPackage.Organ;
import vn.truc.core.edxml.EdxmlPackage.ResponseFor;

/** Every real sample reads to the facts it contains; hashes were computed independently (Python hashlib). */
class EdxmlSamplesTest {
    private static final String VPCP_7816 = "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT";
    private static final String DOC_NAME = "1896_QD-TTg_m_294779.doc";

    @Test
    void readsNewDocumentSample() {
        EdxmlPackage p = Edxml.read(EdxmlSamples.bytes("edoc_new.edxml"), GENEROUS);

        assertThat(p.kind()).isEqualTo(Kind.DOCUMENT);
        assertThat(p.documentId()).isEqualTo("000.00.11.H53,2020/10/30,2491/STC-BCTC");
        assertThat(p.from()).isEqualTo(new Organ("000.00.11.H53", "Sở Tính"));
        assertThat(p.to()).containsExactly(new Organ("000.00.01.A53", "Văn phòng tỉnh ủy"));
        assertThat(p.subject()).isEqualTo("Báo cáo tài chính tỉnh");
        assertThat(p.codeNumber()).isEqualTo("2491");
        assertThat(p.codeNotation()).isEqualTo("STC-BCTC");
        assertThat(p.businessType()).isEqualTo(BusinessType.NEW);
        assertThat(p.replacedDocumentIds()).isEmpty();
        assertThat(p.responseFor()).isEmpty();
        assertThat(p.statusCode()).isNull();
        assertThat(p.attachments())
                .containsExactly(new AttachmentRef(
                        "cid:209",
                        DOC_NAME,
                        "application/zip",
                        270_823,
                        "erfEOgKjzyzt0U6/JUWjfnoTB+AJG0upTC7x6EKnY6o="));
        assertThat(p.manifestContentIds()).containsExactly("cid:209");
    }

    @Test
    void readsUpdateDocumentSample() {
        EdxmlPackage p = Edxml.read(EdxmlSamples.bytes("edoc_update.edxml"), GENEROUS);

        assertThat(p.kind()).isEqualTo(Kind.DOCUMENT);
        assertThat(p.documentId()).isEqualTo(VPCP_7816);
        assertThat(p.from()).isEqualTo(new Organ("000.00.00.G22", "Văn phòng Chính phủ"));
        assertThat(p.to())
                .extracting(Organ::organId)
                .containsExactly("000.00.00.H41", "000.00.00.H14", "000.00.00.G17");
        assertThat(p.to().get(1).organName()).isEqualTo("UBND Tỉnh Cao Bằng");
        assertThat(p.subject()).isEqualTo("V/v kết nối, liên thông phần mềm quản lý văn bản");
        assertThat(p.codeNumber()).isEqualTo("7816");
        assertThat(p.codeNotation()).isEqualTo("VPCP-TTĐT");
        assertThat(p.businessType()).isEqualTo(BusinessType.UPDATE);
        assertThat(p.attachments())
                .containsExactly(new AttachmentRef(
                        "cid:209",
                        DOC_NAME,
                        "application/zip",
                        270_823,
                        "UWU7lhP38CdbQ/gHBAMymXQMcC81T0Sgb1V3DPuwsTU="));
        assertThat(p.manifestContentIds()).containsExactly("cid:209");
    }

    @ParameterizedTest
    @CsvSource({
        "status_inbox_01.edxml, 01, Văn thư - Phòng Văn thư - Lưu trữ: Đã đến"
                + " - Phần mềm QLVB đã nhận nhưng văn thư chưa xử lý",
        "status_processing_05.edxml, 05, Đang xử lý văn bản đến",
        "status_finish_06.edxml, 06, 'Văn thư: Ban hành văn bản đến, hoàn thành xử lý'"
    })
    void readsStatusSamples(String file, String code, String description) {
        EdxmlPackage p = Edxml.read(EdxmlSamples.bytes(file), GENEROUS);

        assertThat(p.kind()).isEqualTo(Kind.STATUS);
        assertThat(p.statusCode()).isEqualTo(code);
        assertThat(p.statusDescription()).isEqualTo(description);
        assertThat(p.statusTimestamp()).isEqualTo("2015/09/20 11:08:36");
        assertThat(p.from()).isEqualTo(new Organ("000.00.00.H41", "UBND Tỉnh Nghệ An"));
        assertThat(p.to()).isEmpty();
        assertThat(p.documentId()).isEqualTo(VPCP_7816);
        assertThat(p.responseFor())
                .containsExactly(new ResponseFor("000.00.00.G22", "7816/VPCP-TTĐT", "2015/09/30", VPCP_7816));
        assertThat(p.codeNumber()).isNull();
        assertThat(p.businessType()).isEqualTo(BusinessType.NEW);
        assertThat(p.attachments()).isEmpty();
        assertThat(p.manifestContentIds()).isEmpty();
    }

    @Test
    void leavesTheBytesItReadsUntouched() {
        byte[] xml = EdxmlSamples.bytes("edoc_update.edxml");
        byte[] copy = xml.clone();

        Edxml.read(xml, GENEROUS);

        assertThat(xml).isEqualTo(copy);
    }

    @Test
    void readsElementsInAnotherOrder() {
        String xml = EdxmlSamples.text("edoc_update.edxml");
        String subject = "<edXML:Subject>V/v kết nối, liên thông phần mềm quản lý văn bản</edXML:Subject>";
        String attachments = xml.substring(xml.indexOf("<AttachmentEncoded>"), xml.indexOf("</edXML>"));
        String shuffled = xml.replace(subject, "")
                .replace("<edXML:From>", subject + "<edXML:From>")
                .replace(attachments, "")
                .replace("<edXML:edXMLEnvelope", attachments + "<edXML:edXMLEnvelope");

        EdxmlPackage p = Edxml.read(utf8(shuffled), GENEROUS);

        assertThat(shuffled.indexOf(subject)).isLessThan(shuffled.indexOf("<edXML:From>"));
        assertThat(shuffled.indexOf("<AttachmentEncoded>")).isLessThan(shuffled.indexOf("<edXML:edXMLEnvelope"));
        assertThat(p.subject()).isEqualTo("V/v kết nối, liên thông phần mềm quản lý văn bản");
        assertThat(p.from().organId()).isEqualTo("000.00.00.G22");
        assertThat(p.to()).hasSize(3);
        assertThat(p.attachments()).hasSize(1);
    }

    @Test
    void readsElementsWithoutPrefix() {
        String xml = EdxmlSamples.text("edoc_update.edxml").replace("edXML:", "");

        EdxmlPackage p = Edxml.read(utf8(xml), GENEROUS);

        assertThat(xml).doesNotContain("<edXML:");
        assertThat(p.documentId()).isEqualTo(VPCP_7816);
        assertThat(p.businessType()).isEqualTo(BusinessType.UPDATE);
        assertThat(p.attachments()).extracting(AttachmentRef::decodedSize).containsExactly(270_823L);
    }

    @Test
    void matchesByNamespaceWhateverThePrefix() {
        // Root and children all carry the prefix q; the default namespace is an unrelated one.
        String xml = EdxmlSamples.text("status_inbox_01.edxml")
                .replace("edXML:", "q:")
                .replace(
                        "<edXML xmlns=\"" + Edxml.NAMESPACE + "\">",
                        "<q:edXML xmlns:q=\"" + Edxml.NAMESPACE + "\" xmlns=\"urn:unrelated\">")
                .replace("</edXML>", "</q:edXML>");

        EdxmlPackage p = Edxml.read(utf8(xml), GENEROUS);

        assertThat(xml).doesNotContain("<edXML");
        assertThat(p.statusCode()).isEqualTo("01");
        assertThat(p.documentId()).isEqualTo(VPCP_7816);
    }

    @Test
    void readsReplacementsOfAReplacingDocument() {
        String xml = EdxmlSamples.text("edoc_new.edxml")
                .replace("<edXML:BussinessDocType>0<", "<edXML:BussinessDocType>3<")
                .replace(
                        "<edXML:Paper>0</edXML:Paper>",
                        "<edXML:Paper>0</edXML:Paper><edXML:ReplacementInfoList><edXML:ReplacementInfo>"
                                + "<edXML:DocumentId>" + VPCP_7816 + "</edXML:DocumentId><edXML:OrganIdList>"
                                + "<edXML:OrganId>000.00.01.A53</edXML:OrganId></edXML:OrganIdList>"
                                + "</edXML:ReplacementInfo></edXML:ReplacementInfoList>");

        EdxmlPackage p = Edxml.read(utf8(xml), GENEROUS);

        assertThat(p.businessType()).isEqualTo(BusinessType.REPLACE);
        assertThat(p.replacedDocumentIds()).containsExactly(VPCP_7816);
    }

    @Test
    void acceptsTheCorrectSpellingOfBusiness() {
        String xml = EdxmlSamples.text("edoc_update.edxml").replace("Bussiness", "Business");

        assertThat(Edxml.read(utf8(xml), GENEROUS).businessType()).isEqualTo(BusinessType.UPDATE);
    }

    @Test
    void treatsAMissingBusinessElementAsNew() {
        String xml = EdxmlSamples.text("edoc_update.edxml").replaceAll("(?s)<edXML:Bussiness>.*</edXML:Bussiness>", "");

        assertThat(Edxml.read(utf8(xml), GENEROUS).businessType()).isEqualTo(BusinessType.NEW);
    }
}
