using System.Security;
using System.Text;

namespace LightNvr.Onvif;

/// <summary>
/// Writes a SOAP 1.2 request envelope (ONVIF Core §5.1: SOAP 1.2 over HTTP) with an optional WS-Security header
/// (<see cref="UsernameToken"/>). The body is one operation element the caller wrote, with its own namespace, e.g.
/// <c>&lt;GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/&gt;</c>; values inside it go through
/// <see cref="Escape"/>.
/// </summary>
public static class SoapEnvelope
{
    public const string Soap12 = "http://www.w3.org/2003/05/soap-envelope";
    public const string Wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public const string Wsu = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    public const string PasswordDigestType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
    public const string Base64EncodingType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

    /// <summary>The request envelope with <paramref name="body"/> and, when given, the token in a Security header.</summary>
    public static string Build(string body, UsernameToken? token, string? headerXml = null)
    {
        var xml = new StringBuilder(512 + body.Length);
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        xml.Append("<s:Envelope xmlns:s=\"").Append(Soap12).Append("\">");
        if (token is not null || headerXml is not null)
        {
            xml.Append("<s:Header>");
            if (token is not null)
            {
                AppendSecurity(xml, token);
            }
            xml.Append(headerXml);
            xml.Append("</s:Header>");
        }
        xml.Append("<s:Body>").Append(body).Append("</s:Body></s:Envelope>");
        return xml.ToString();
    }

    /// <summary>Escapes text for an element or attribute value.</summary>
    public static string Escape(string value) => SecurityElement.Escape(value) ?? "";

    private static void AppendSecurity(StringBuilder xml, UsernameToken token)
    {
        xml.Append("<wsse:Security s:mustUnderstand=\"1\" xmlns:wsse=\"").Append(Wsse)
            .Append("\" xmlns:wsu=\"").Append(Wsu).Append("\">");
        xml.Append("<wsse:UsernameToken><wsse:Username>").Append(Escape(token.Username)).Append("</wsse:Username>");
        xml.Append("<wsse:Password Type=\"").Append(PasswordDigestType).Append("\">").Append(token.Digest).Append("</wsse:Password>");
        xml.Append("<wsse:Nonce EncodingType=\"").Append(Base64EncodingType).Append("\">").Append(token.Nonce).Append("</wsse:Nonce>");
        xml.Append("<wsu:Created>").Append(token.Created).Append("</wsu:Created>");
        xml.Append("</wsse:UsernameToken></wsse:Security>");
    }
}
