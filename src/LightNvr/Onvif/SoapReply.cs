using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace LightNvr.Onvif;

/// <summary>
/// Reads a SOAP reply (1.1 or 1.2: real cameras send both) safely: no DTD (<see cref="DtdProcessing.Prohibit"/>, so
/// no entity expansion), no external resolution, a bounded character count, then returns the first element of the
/// Body or throws an <see cref="OnvifException"/> for a fault or anything that is not an envelope.
/// </summary>
public static class SoapReply
{
    public const string Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";

    /// <summary>Characters one reply may hold once decoded (the byte bound is <see cref="OnvifSoapClient.MaxReplyBytes"/>).</summary>
    public const long MaxCharacters = OnvifSoapClient.MaxReplyBytes;

    public static XmlReaderSettings ReaderSettings => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>
    /// The whole document, or <see cref="OnvifErrorKind.BadReply"/>. The bytes are decoded here, not by the XML
    /// declaration: cameras declare <c>encoding="utf-16"</c> over UTF-8 bytes (two of the npm captures do), so the
    /// encoding comes from the byte order mark or the first bytes (XML 1.0 Appendix F), UTF-8 otherwise.
    /// </summary>
    public static XDocument Load(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.GetBuffer().AsSpan(0, (int)copy.Length);
        try
        {
            using var reader = XmlReader.Create(new StringReader(Decode(bytes)), ReaderSettings);
            return XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException e)
        {
            throw new OnvifException(OnvifErrorKind.BadReply, $"the camera's reply is not valid XML ({e.Message})", e);
        }
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new UTF8Encoding(false, true).GetString(bytes[3..]);
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || (bytes.Length > 1 && bytes[0] == (byte)'<' && bytes[1] == 0))
        {
            return Encoding.Unicode.GetString(bytes[(bytes[0] == 0xFF ? 2 : 0)..]);
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || (bytes.Length > 1 && bytes[0] == 0 && bytes[1] == (byte)'<'))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[(bytes[0] == 0xFE ? 2 : 0)..]);
        }
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new OnvifException(OnvifErrorKind.BadReply, "the camera's reply is not valid UTF-8", e);
        }
    }

    /// <summary>The Body's first element; a Fault becomes its <see cref="OnvifException"/>.</summary>
    public static XElement Body(XDocument document)
    {
        var envelope = document.Root;
        if (envelope is null || envelope.Name.LocalName != "Envelope" ||
            (envelope.Name.NamespaceName != SoapEnvelope.Soap12 && envelope.Name.NamespaceName != Soap11))
        {
            throw new OnvifException(OnvifErrorKind.BadReply, "the camera's reply is not a SOAP envelope");
        }
        var body = envelope.Elements().FirstOrDefault(e => e.Name.LocalName == "Body" && e.Name.Namespace == envelope.Name.Namespace)
            ?? throw new OnvifException(OnvifErrorKind.BadReply, "the camera's SOAP reply has no Body");
        var first = body.Elements().FirstOrDefault()
            ?? throw new OnvifException(OnvifErrorKind.BadReply, "the camera's SOAP reply has an empty Body");
        if (first.Name.LocalName == "Fault" && first.Name.Namespace == envelope.Name.Namespace)
        {
            throw SoapFault.Parse(first).ToException();
        }
        return first;
    }

    public static XElement Body(Stream stream) => Body(Load(stream));
}
