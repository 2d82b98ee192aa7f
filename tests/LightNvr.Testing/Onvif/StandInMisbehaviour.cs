namespace LightNvr.Testing.Onvif;

/// <summary>How <see cref="OnvifStandIn"/> answers every request while set.</summary>
public enum StandInMisbehaviour
{
    None,

    /// <summary>Not XML at all (an HTML error page cut short).</summary>
    Garbage,

    /// <summary>A 50 MB chunked reply.</summary>
    Huge,

    /// <summary>Headers, then one byte a second, forever.</summary>
    Endless,
}
