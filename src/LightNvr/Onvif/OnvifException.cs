namespace LightNvr.Onvif;

/// <summary>A failed ONVIF call: its <see cref="Kind"/> and a message fit to show a user (never a credential).</summary>
public sealed class OnvifException(OnvifErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public OnvifErrorKind Kind { get; } = kind;

    public static OnvifException WrongPassword() =>
        new(OnvifErrorKind.Unauthorized, "wrong password: the camera refused the user name or password");

    public static OnvifException NotSupported(string what) =>
        new(OnvifErrorKind.NotSupported, $"not supported by this camera: {what}");
}
