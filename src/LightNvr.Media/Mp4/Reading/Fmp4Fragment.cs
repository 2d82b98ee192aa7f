namespace LightNvr.Media.Mp4.Reading;

/// <summary>Where one moof+mdat pair of a file lies (byte offsets from the file start).</summary>
public readonly record struct Fmp4Fragment(long MoofOffset, long MdatOffset, long End, uint SequenceNumber);
