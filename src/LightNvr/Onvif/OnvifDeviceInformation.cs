namespace LightNvr.Onvif;

/// <summary>GetDeviceInformationResponse (ONVIF Device Management §8.3.1).</summary>
public sealed record OnvifDeviceInformation(string Manufacturer, string Model, string FirmwareVersion, string SerialNumber, string HardwareId);
