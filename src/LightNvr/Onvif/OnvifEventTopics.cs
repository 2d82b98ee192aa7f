namespace LightNvr.Onvif;

/// <summary>
/// Which ONVIF notifications are detections, and what label they get. ONVIF Core §9.x / the Profile S and T topic
/// sets: <c>tns1:RuleEngine/CellMotionDetector/Motion</c> (Data IsMotion), <c>tns1:VideoSource/MotionAlarm</c> (Data
/// State), <c>tns1:RuleEngine/MotionRegionDetector/Motion</c> (State), <c>tns1:VideoSource/GlobalSceneChange/…</c> and
/// <c>…/TamperDetector/Tamper</c> (IsTamper) → tamper; vendors' people/vehicle rules (Data IsPeople, IsVehicle) →
/// person/vehicle. Anything else is ignored.
/// </summary>
public static class OnvifEventTopics
{
    /// <summary>The label and whether the thing is now present, or null for a notification that is no detection.</summary>
    public static (string Label, bool Active)? Classify(OnvifNotification notification)
    {
        var topic = notification.Topic;
        foreach (var (item, label) in DataItems)
        {
            if (notification.Data.TryGetValue(item, out var value))
            {
                return (label, IsTrue(value));
            }
        }
        var isMotionTopic = topic.Contains("Motion", StringComparison.OrdinalIgnoreCase);
        var isTamperTopic = topic.Contains("Tamper", StringComparison.OrdinalIgnoreCase) ||
            topic.Contains("GlobalSceneChange", StringComparison.OrdinalIgnoreCase);
        if ((isMotionTopic || isTamperTopic) && notification.Data.TryGetValue("State", out var state))
        {
            return (isTamperTopic ? "tamper" : "motion", IsTrue(state));
        }
        return null;
    }

    private static readonly (string Item, string Label)[] DataItems =
    [
        ("IsMotion", "motion"), ("IsTamper", "tamper"), ("IsPeople", "person"), ("IsPerson", "person"), ("IsVehicle", "vehicle"),
    ];

    private static bool IsTrue(string value) => value.Trim() is "true" or "True" or "TRUE" or "1";
}
