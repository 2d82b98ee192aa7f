using System.Globalization;
using System.Xml.Linq;

namespace LightNvr.Onvif;

/// <summary>
/// Parsers for Events replies (ONVIF event.wsdl, <c>ver10/events/wsdl</c>; WS-BaseNotification messages). A
/// notification's topic is the text of <c>wsnt:Topic</c> (e.g. <c>tns1:RuleEngine/CellMotionDetector/Motion</c>), its
/// payload the <c>tt:Message</c> with Source and Data SimpleItems (ONVIF Core §9.1).
/// </summary>
public static class EventReplies
{
    public const string Namespace = "http://www.onvif.org/ver10/events/wsdl";

    /// <summary>Most notifications read from one PullMessages reply (the request asks for at most this many).</summary>
    public const int MaxMessages = 64;

    /// <summary>Most SimpleItems read per Source or Data (real events carry 1–4).</summary>
    public const int MaxItems = 16;

    /// <summary>CreatePullPointSubscription: the subscription's address and when it ends.</summary>
    public static (Uri Address, DateTimeOffset? Termination) Subscription(XElement body)
    {
        var reply = OnvifXml.Expect(body, "CreatePullPointSubscriptionResponse");
        var address = OnvifXml.HttpUri(reply.Path("SubscriptionReference", "Address").Text())
            ?? throw new OnvifException(OnvifErrorKind.BadReply, "the camera's subscription reply holds no address");
        return (address, Time(reply.Child("TerminationTime").Text()));
    }

    /// <summary>WS-BaseNotification Subscribe (push): the subscription's address (for Renew and Unsubscribe).</summary>
    public static (Uri Address, DateTimeOffset? Termination) Subscribed(XElement body)
    {
        var reply = OnvifXml.Expect(body, "SubscribeResponse");
        var address = OnvifXml.HttpUri(reply.Path("SubscriptionReference", "Address").Text())
            ?? throw new OnvifException(OnvifErrorKind.BadReply, "the camera's Subscribe reply holds no address");
        return (address, Time(reply.Child("TerminationTime").Text()));
    }

    public static IReadOnlyList<OnvifNotification> PullMessages(XElement body) => Messages(OnvifXml.Expect(body, "PullMessagesResponse"));

    /// <summary>A camera's push (WS-BaseNotification §3.2 Notify): the same NotificationMessages as PullMessages.</summary>
    public static IReadOnlyList<OnvifNotification> Notify(XElement body) => Messages(OnvifXml.Expect(body, "Notify"));

    private static List<OnvifNotification> Messages(XElement reply)
    {
        var list = new List<OnvifNotification>();
        foreach (var n in reply.Children("NotificationMessage").Take(MaxMessages))
        {
            var topic = n.Child("Topic").Text();
            var message = n.Path("Message", "Message");
            if (topic is null || message is null)
            {
                continue;
            }
            list.Add(new OnvifNotification(topic, Time(message.Attr("UtcTime")), message.Attr("PropertyOperation"),
                Items(message.Child("Source")), Items(message.Child("Data"))));
        }
        return list;
    }

    private static Dictionary<string, string> Items(XElement? parent)
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in parent.Children("SimpleItem").Take(MaxItems))
        {
            if (item.Attr("Name") is { } name)
            {
                items[name] = item.Attr("Value") ?? "";
            }
        }
        return items;
    }

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
