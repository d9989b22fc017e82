// Read aloud with the browser's own speech synthesis, in Norwegian: the life story is
// written in Norwegian whatever language the screen is in. Nothing leaves the device
// from here (a device's voice may itself be a network voice; that is the device's).

/** Norwegian voices: Bokmål, Nynorsk or plain "no". */
function isNorwegian(voice: SpeechSynthesisVoice) {
  return /^(nb|nn|no)([-_]|$)/i.test(voice.lang)
}

export function useConversationVoice() {
  const supported = ref(false)
  const voice = shallowRef<SpeechSynthesisVoice | null>(null)
  const speaking = ref(false)
  /** Set when the device has no Norwegian voice (or no speech at all): the page says so. */
  const missing = ref(false)

  function findVoice() {
    const voices = window.speechSynthesis.getVoices()
    voice.value = voices.find(v => isNorwegian(v) && v.localService) ?? voices.find(isNorwegian) ?? null
  }

  onMounted(() => {
    supported.value = 'speechSynthesis' in window
    if (!supported.value) return
    findVoice()
    // Voices often arrive a moment after the page loads.
    window.speechSynthesis.addEventListener?.('voiceschanged', findVoice)
  })
  onBeforeUnmount(() => {
    if (!supported.value) return
    window.speechSynthesis.removeEventListener?.('voiceschanged', findVoice)
    window.speechSynthesis.cancel()
  })

  function stop() {
    if (supported.value) window.speechSynthesis.cancel()
    speaking.value = false
  }

  /** Reads the text aloud, or marks the voice as missing. */
  function speak(text: string) {
    stop()
    if (supported.value && !voice.value) findVoice()
    if (!supported.value || !voice.value) {
      missing.value = true
      return
    }
    missing.value = false
    const utterance = new SpeechSynthesisUtterance(text)
    utterance.voice = voice.value
    utterance.lang = voice.value.lang
    utterance.rate = 0.9
    const done = () => {
      speaking.value = false
    }
    utterance.onend = done
    utterance.onerror = done
    speaking.value = true
    window.speechSynthesis.speak(utterance)
  }

  return { supported, voice, speaking, missing, speak, stop }
}
