package vn.truc.core.edxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.truc.core.edxml.EdxmlSamples.GENEROUS;
import static vn.truc.core.edxml.EdxmlSamples.utf8;

import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/** Packages derived from the real samples by one change each, and the refusal each one earns. */
class EdxmlRejectionsTest {
    private static final String NEW = "edoc_new.edxml";
    private static final String UPDATE = "edoc_update.edxml";
    private static final String STATUS = "status_inbox_01.edxml";
    private static final String BASE64_START = Edxml.NAMESPACE + "\">UEsDB";

    @Test
    void rejectsDocumentWithoutFrom() {
        String xml = EdxmlSamples.text(NEW).replaceFirst("(?s)<edXML:From>.*?</edXML:From>", "");
        assertRejected(xml, ErrorCode.INVALID_REQUEST).hasMessage("edXML: MessageHeader/From is missing");
    }

    @Test
    void rejectsStatusWithoutFromOrganId() {
        String xml = EdxmlSamples.text(STATUS).replace("<edXML:OrganId>000.00.00.H41</edXML:OrganId>", "");
        assertRejected(xml, ErrorCode.INVALID_REQUEST).hasMessage("edXML: MessageHeader/From/OrganId is missing");
    }

    @Test
    void rejectsRecipientWhoseOrganIdIsNotAnAgencyCode() {
        String xml = EdxmlSamples.text(UPDATE).replaceFirst("000\\.00\\.00\\.H14", "000.00.00.h14");
        assertRejected(xml, ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("edXML: MessageHeader/To[2]/OrganId '000.00.00.h14' is not an agency code");
    }

    @Test
    void rejectsAgencyCodeLongerThan35Characters() {
        String xml = EdxmlSamples.text(NEW).replace(">000.00.11.H53<", ">" + "A".repeat(36) + "<");
        assertRejected(xml, ErrorCode.INVALID_REQUEST).hasMessageContaining("MessageHeader/From/OrganId 'AAAA");
    }

    @Test
    void rejectsRecipientListedTwice() {
        String xml = EdxmlSamples.text(UPDATE).replaceFirst("000\\.00\\.00\\.H14", "000.00.00.H41");
        assertRejected(xml, ErrorCode.INVALID_REQUEST)
                .hasMessage("edXML: MessageHeader/To[2]/OrganId '000.00.00.H41' is already a recipient");
    }

    @Test
    void rejectsDocumentWithoutRecipient() {
        String xml = EdxmlSamples.text(NEW).replaceFirst("(?s)<edXML:To>.*?</edXML:To>", "");
        assertRejected(xml, ErrorCode.INVALID_REQUEST).hasMessageStartingWith("edXML: MessageHeader/To is missing");
    }

    @Test
    void rejectsRepeatedSingleElement() {
        String xml = EdxmlSamples.text(STATUS)
                .replace("<edXML:StatusCode>01", "<edXML:StatusCode>01</edXML:StatusCode><edXML:StatusCode>06");
        assertRejected(xml, ErrorCode.INVALID_REQUEST)
                .hasMessage("edXML: MessageHeader/StatusCode appears 2 times (expected: at most once)");
    }

    @Test
    void rejectsDocumentIdWithoutItsThreeParts() {
        String xml = EdxmlSamples.text(NEW).replace(">000.00.11.H53,2020/10/30,2491/STC-BCTC<", ">2491/STC-BCTC<");
        assertRejected(xml, ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("edXML: MessageHeader/DocumentId '2491/STC-BCTC' is not in the form");
    }

    @Test
    void rejectsBlankDocumentId() {
        String xml = EdxmlSamples.text(NEW).replace(">000.00.11.H53,2020/10/30,2491/STC-BCTC<", ">  <");
        assertRejected(xml, ErrorCode.INVALID_REQUEST).hasMessage("edXML: MessageHeader/DocumentId is empty");
    }

    @Test
    void rejectsManifestReferenceWithoutAttachment() {
        String xml = EdxmlSamples.text(NEW).replace("<edXML:ContentId>cid:209<", "<edXML:ContentId>abc<");
        assertRejected(xml, ErrorCode.INVALID_REQUEST)
                .hasMessage("edXML: attachment 'abc' listed in edXMLManifest is missing from AttachmentEncoded");
    }

    @Test
    void rejectsAttachmentMissingFromManifest() {
        String xml = EdxmlSamples.text(NEW).replaceFirst("(?s)<edXML:Reference>.*?</edXML:Reference>", "");
        assertRejected(xml, ErrorCode.INVALID_REQUEST)
                .hasMessage("edXML: attachment 'cid:209' is not listed in edXMLManifest");
    }

    @Test
    void rejectsAttachmentThatIsNotBase64() {
        String xml = EdxmlSamples.text(NEW).replace(BASE64_START, Edxml.NAMESPACE + "\">UE!sDB");
        assertRejected(xml, ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("edXML: attachment '1896_QD-TTg_m_294779.doc' is not valid base64 (")
                .hasMessageContaining("AttachmentEncoded/Attachment[1]/ContentTransferEncoded");
    }

    @Test
    void rejectsAttachmentWithPaddingInTheMiddle() {
        String xml = EdxmlSamples.text(NEW).replace(BASE64_START, Edxml.NAMESPACE + "\">UE==sDB");
        assertRejected(xml, ErrorCode.INVALID_REQUEST).hasMessageContaining("is not valid base64 (");
    }

    @Test
    void rejectsUnknownStatusCode() {
        String xml = EdxmlSamples.text(STATUS).replace("<edXML:StatusCode>01<", "<edXML:StatusCode>07<");
        assertRejected(xml, ErrorCode.INVALID_REQUEST)
                .hasMessage("edXML: MessageHeader/StatusCode '07' is not one of 01-06, 13, 15, 16");
    }

    @Test
    void rejectsStatusWithoutResponseFor() {
        String xml = EdxmlSamples.text(STATUS).replaceFirst("(?s)<edXML:ResponseFor>.*?</edXML:ResponseFor>", "");
        assertRejected(xml, ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("edXML: MessageHeader/ResponseFor appears 0 times in a status");
    }

    @Test
    void rejectsUnknownBusinessType() {
        String xml = EdxmlSamples.text(NEW).replace("<edXML:BussinessDocType>0<", "<edXML:BussinessDocType>9<");
        assertRejected(xml, ErrorCode.INVALID_REQUEST)
                .hasMessageStartingWith("edXML: TraceHeaderList/Bussiness/BussinessDocType '9' is not one of");
    }

    @Test
    void rejectsReplacementThatNamesNoDocument() {
        String xml = EdxmlSamples.text(NEW).replace("<edXML:BussinessDocType>0<", "<edXML:BussinessDocType>3<");
        assertRejected(xml, ErrorCode.INVALID_REQUEST).hasMessageContaining("ReplacementInfo/DocumentId");
    }

    @Test
    void rejectsRootInAnotherNamespace() {
        String xml = EdxmlSamples.text(STATUS).replace("<edXML xmlns=\"" + Edxml.NAMESPACE, "<edXML xmlns=\"urn:other");
        assertRejected(xml, ErrorCode.INVALID_REQUEST)
                .hasMessage("edXML: the root element is {urn:other}edXML (expected: {" + Edxml.NAMESPACE + "}edXML)");
    }

    @Test
    void rejectsExternalEntity() {
        String xml = EdxmlSamples.text(STATUS)
                .replace("<edXML ", "<!DOCTYPE edXML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><edXML ")
                .replace(">01<", ">&x;<");
        assertRejected(xml, ErrorCode.HOSTILE_XML).hasMessageNotContaining("root:");
    }

    @Test
    void rejectsBillionLaughs() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE edXML [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            dtd.append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        String xml =
                EdxmlSamples.text(STATUS).replace("<edXML ", dtd + "]><edXML ").replace(">01<", ">&lol9;<");
        assertRejected(xml, ErrorCode.HOSTILE_XML);
    }

    @Test
    void rejectsTruncatedPackage() {
        byte[] xml = EdxmlSamples.bytes(NEW);
        assertThatThrownBy(() -> Edxml.read(Arrays.copyOf(xml, xml.length / 2), GENEROUS))
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_XML));
    }

    @Test
    void rejectsPackageOverTheByteLimit() {
        byte[] xml = EdxmlSamples.bytes(NEW);
        assertThatThrownBy(() -> Edxml.read(xml, new Edxml.Limits(xml.length - 1, 100, 100)))
                .hasMessage("edXML: package of " + xml.length + " bytes is too large (limit: " + (xml.length - 1) + ")")
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.BODY_TOO_LARGE));
        assertThat(Edxml.read(xml, new Edxml.Limits(xml.length, 100, 100)).attachments())
                .hasSize(1);
    }

    @Test
    void rejectsMoreAttachmentsThanTheLimit() {
        byte[] xml = EdxmlSamples.bytes(NEW);
        assertThatThrownBy(() -> Edxml.read(xml, new Edxml.Limits(1 << 24, 0, 100)))
                .hasMessage("edXML: a package with 1 attachments has too many (limit: 0)")
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @Test
    void rejectsMoreRecipientsThanTheLimit() {
        byte[] xml = EdxmlSamples.bytes(UPDATE);
        assertThatThrownBy(() -> Edxml.read(xml, new Edxml.Limits(1 << 24, 100, 2)))
                .hasMessage("edXML: a document to 3 recipients has too many (limit: 2)")
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @Test
    void refusesLimitsThatCannotBeMet() {
        assertThatThrownBy(() -> new Edxml.Limits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String xml, ErrorCode code) {
        return assertThatThrownBy(() -> Edxml.read(utf8(xml), GENEROUS))
                .isInstanceOf(TrucException.class)
                .satisfies(e -> assertThat(((TrucException) e).code()).isEqualTo(code))
                .satisfies(e -> assertThat(((TrucException) e).origin()).isEqualTo(Origin.CLIENT));
    }
}
