"""Calls getDocument through a Truc client proxy with python3-zeep, as a stock SOAP client would.

Usage: python3 zeep_call.py WSDL CLIENT_PROXY_URL DOCUMENT_ID
Prints the response's subject; exits non-zero with the fault on a SOAP fault.
"""
import sys

import zeep

wsdl, address, document_id = sys.argv[1:4]
client = zeep.Client(wsdl)
service = client.create_service("{urn:truc:test:dms}DmsBinding", address)
result = service.getDocument(
    documentId=document_id,
    _soapheaders={
        "client": {"xRoadInstance": "VN", "memberClass": "GOV", "memberCode": "000.00.00.G22",
                   "subsystemCode": "DMS", "objectType": "SUBSYSTEM"},
        "service": {"xRoadInstance": "VN", "memberClass": "GOV", "memberCode": "000.00.00.H41",
                    "subsystemCode": "DMS", "serviceCode": "getDocument", "serviceVersion": "v1",
                    "objectType": "SERVICE"},
        "id": "zeep-" + document_id,
        "userId": "VN-zeep",
        "protocolVersion": "4.0",
    },
)
print(result)
