"""What `%axio realtime` asks each real transport for, and when it leaves a cancel to the server."""

from __future__ import annotations

from axio_transport_google.realtime import GeminiLiveTransport
from axio_transport_openai import OpenAIRealtimeTransport

from axio_nb.demo.realtime import DemoRealtime
from axio_nb.run.realtime import INPUT_FORMAT, asked_input_format, server_cancels


class TestAskedInputFormat:
    """The microphone's format is the one each transport is built for, never one assumed for all."""

    def test_each_transport_gets_its_own_pcm_rate(self) -> None:
        assert asked_input_format(GeminiLiveTransport(api_key="k")) == "audio/pcm;rate=16000"
        assert asked_input_format(OpenAIRealtimeTransport(api_key="k")) == "audio/pcm;rate=24000"
        assert asked_input_format(DemoRealtime()) == "audio/pcm;rate=24000"

    def test_a_transport_that_names_none_gets_openais(self) -> None:
        class Bare:
            async def connect(self, **kwargs: object) -> None: ...

        assert asked_input_format(Bare()) == INPUT_FORMAT
        assert asked_input_format(object()) == INPUT_FORMAT


class TestServerCancels:
    """OpenAI's server VAD cancels a talked-over answer itself unless told not to; the demo says so per session."""

    def test_openais_default_cancels_by_itself(self) -> None:
        assert server_cancels(OpenAIRealtimeTransport(api_key="k")) is True
        assert server_cancels(OpenAIRealtimeTransport(api_key="k", vad_interrupt_response=False)) is False
        assert server_cancels(OpenAIRealtimeTransport(api_key="k", server_vad=False)) is False

    def test_others_leave_it_to_the_client(self) -> None:
        assert server_cancels(DemoRealtime()) is False
        assert server_cancels(GeminiLiveTransport(api_key="k")) is False
