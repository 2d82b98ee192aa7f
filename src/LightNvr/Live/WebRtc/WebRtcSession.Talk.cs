using System.Buffers.Binary;

namespace LightNvr.Live.WebRtc;

/// <summary>The receiving half for two-way audio: the browser's SRTP → RTP → <see cref="WebRtcTalk"/>.</summary>
public sealed partial class WebRtcSession
{
    private WebRtcTalk? _talk;
    private bool _talkStarted;
    private uint _talkRoc;
    private ushort _talkHighestSeq;

    /// <summary>The talk path of this session, when the answer accepted the browser's microphone.</summary>
    public WebRtcTalk? Talk => _talk;

    internal void AttachTalk(WebRtcTalk talk) => _talk = talk;

    /// <summary>
    /// SRTP from the browser (RFC 3711 §3.3): the rollover counter guessed from the highest sequence seen
    /// (Appendix A), the packet checked and decrypted, handed to the talk path. Without a talk path it is dropped.
    /// </summary>
    private void OnRtp(ReadOnlySpan<byte> datagram)
    {
        if (_talk is null || _receiveSrtp is null || datagram.Length < 12)
        {
            return;
        }

        var seq = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        var roc = GuessRoc(seq);
        Span<byte> plain = stackalloc byte[datagram.Length];
        var n = _receiveSrtp.UnprotectRtp(datagram, roc, plain);
        if (n < 0)
        {
            return; // wrong tag: not the peer that did the handshake, or a wrong ROC guess
        }

        if (!_talkStarted || roc > _talkRoc || (roc == _talkRoc && (short)(seq - _talkHighestSeq) > 0))
        {
            _talkStarted = true;
            _talkRoc = roc;
            _talkHighestSeq = seq;
        }

        _talk.Offer(plain[..n]);
    }

    private uint GuessRoc(ushort seq)
    {
        if (!_talkStarted)
        {
            return 0;
        }

        if (_talkHighestSeq < 32768)
        {
            return seq - _talkHighestSeq > 32768 && _talkRoc > 0 ? _talkRoc - 1 : _talkRoc;
        }

        return _talkHighestSeq - 32768 > seq ? _talkRoc + 1 : _talkRoc;
    }
}
