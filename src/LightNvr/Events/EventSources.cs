namespace LightNvr.Events;

/// <summary>The stored and JSON names of <see cref="ObservationSource"/>, and the recording trigger type each gives.</summary>
public static class EventSources
{
    public static string Name(ObservationSource source) => source switch
    {
        ObservationSource.Motion => "motion",
        ObservationSource.Object => "object",
        ObservationSource.Onvif => "onvif",
        _ => "external",
    };

    public static bool TryParse(string? name, out ObservationSource source)
    {
        foreach (var s in Enum.GetValues<ObservationSource>())
        {
            if (string.Equals(Name(s), name, StringComparison.OrdinalIgnoreCase))
            {
                source = s;
                return true;
            }
        }
        source = default;
        return false;
    }

    /// <summary>
    /// Upstream's <c>trigger_type</c> / <c>capture_method</c> of an event recording: <c>detection</c> for an object
    /// detector, <c>motion</c> for everything else (the motion detector, ONVIF motion, <c>POST /api/motion/trigger</c>).
    /// </summary>
    public static string TriggerType(ObservationSource source) => source == ObservationSource.Object ? "detection" : "motion";
}
