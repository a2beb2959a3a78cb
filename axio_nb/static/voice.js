function Q(t,{sampleRate:s=24e3,channels:n=1}={}){let[e,...r]=String(t).split(";");if(e.trim().toLowerCase()!=="audio/pcm")return null;let o=s,m=n;for(let u of r){let[y,h]=u.split("=").map(w=>w.trim().toLowerCase()),x=Number(h);!Number.isInteger(x)||x<=0||(y==="rate"?o=x:y==="channels"&&(m=x))}return{sampleRate:o,channels:m}}function ot(t){let s=new Int16Array(t.length);for(let n=0;n<t.length;n++){let e=t[n];s[n]=e>=1?32767:e<=-1?-32768:Math.round(e<0?e*32768:e*32767)}return s}function at(t){let s=new Float32Array(t.length);for(let n=0;n<t.length;n++)s[n]=t[n]/32768;return s}function it(t){return t instanceof Uint8Array?t:ArrayBuffer.isView(t)?new Uint8Array(t.buffer,t.byteOffset,t.byteLength):new Uint8Array(t)}var G=class{constructor(s=1){this.frameBytes=2*s,this.carry=new Uint8Array(0)}push(s){let n=it(s);if(this.carry.length){let o=new Uint8Array(this.carry.length+n.length);o.set(this.carry),o.set(n,this.carry.length),n=o}let e=n.length-n.length%this.frameBytes;this.carry=n.slice(e);let r=new Int16Array(e/2);for(let o=0,m=0;o<r.length;o++,m+=2)r[o]=(n[m]|n[m+1]<<8)<<16>>16;return r}get pending(){return this.carry.length}},D=class{constructor(s,n,e=1){if(!(s>0&&n>0))throw new RangeError(`axio_nb: sample rates must be positive (got ${s} → ${n})`);this.from=s,this.to=n,this.channels=e,this.step=s/n,this.pos=0,this.prev=null}process(s){let n=this.channels,e=Math.floor(s.length/n);if(this.from===this.to)return s.slice(0,e*n);if(e===0)return new Float32Array(0);let r=this.prev,o=r?1:0,m=e-1+o,u=(w,a)=>w<o&&r?r[a]:s[(w-o)*n+a],y=Math.max(0,Math.ceil((m-this.pos)/this.step)),h=new Float32Array(y*n),x=this.pos;for(let w=0;w<y;w++,x=this.pos+w*this.step){let a=Math.floor(x),l=x-a;for(let c=0;c<n;c++){let d=u(a,c);h[w*n+c]=d+l*(u(a+1,c)-d)}}return this.pos=this.pos+y*this.step-m,this.prev=s.slice((e-1)*n,e*n),h}flush(){let s=this.channels;if(this.from===this.to||!this.prev)return new Float32Array(0);let n=Math.max(0,Math.ceil((1-this.pos)/this.step)),e=new Float32Array(n*s);for(let r=0;r<n;r++)e.set(this.prev,r*s);return this.pos=0,this.prev=null,e}};function ct(t){if(!t.length)return 0;let s=t instanceof Int16Array?1/32768:1,n=0;for(let e=0;e<t.length;e++){let r=t[e]*s;n+=r*r}return Math.sqrt(n/t.length)}var J=class{constructor(s){this.data=new Float32Array(s),this.readAt=0,this.available=0}get capacity(){return this.data.length}get space(){return this.data.length-this.available}write(s){let n=this.data.length,e=Math.min(s.length,n-this.available),r=(this.readAt+this.available)%n,o=Math.min(e,n-r);return this.data.set(s.subarray(0,o),r),e>o&&this.data.set(s.subarray(o,e),0),this.available+=e,e}read(s,n=s.length){let e=this.data.length,r=Math.min(n,s.length,this.available),o=Math.min(r,e-this.readAt);return s.set(this.data.subarray(this.readAt,this.readAt+o),0),r>o&&s.set(this.data.subarray(0,r-o),o),this.readAt=(this.readAt+r)%e,this.available-=r,r}clear(){this.readAt=0,this.available=0}};var ut=globalThis[Symbol.for("axio_nb.worklets")]??=new WeakMap;function X(t,s,n){let e=ut.get(t);e||ut.set(t,e=new Map);let r=e.get(s);if(!r){if(!t.audioWorklet){let m="axio_nb: this browser has no AudioWorklet (Web Audio needs https or localhost)";return Promise.reject(new Error(m))}let o=URL.createObjectURL(new Blob([n],{type:"text/javascript"}));r=t.audioWorklet.addModule(o).finally(()=>URL.revokeObjectURL(o)),r.catch(()=>e.delete(s)),e.set(s,r)}return r}var $="or pass a file or a variable instead.",Z={blocked:`Microphone blocked: allow it in the browser's site settings, ${$}`,"no-device":`No microphone found: connect one (and check the system's privacy settings), ${$}`,insecure:`The microphone needs https or localhost: open the notebook through one of them, ${$}`,busy:`The microphone could not be opened (another application may hold it): close that and retry, ${$}`,suspended:"Audio is paused until the page is clicked: start the microphone from a click.",unsupported:`This browser cannot capture audio (no AudioWorklet): use a current browser, ${$}`,ended:"The microphone stopped: it was unplugged, or its permission was taken back."},yt=`VS Code notebooks cannot use the microphone (microsoft/vscode#119127): open the notebook in JupyterLab or Notebook 7 in a browser, ${$}`;function bt(t=globalThis.location){return t?.protocol==="vscode-webview:"}var P=class extends Error{constructor(s,n,e){super(n,{cause:e}),this.name="CaptureError",this.reason=s}};function nt(t,{secure:s=globalThis.isSecureContext,vscode:n=bt()}={}){if(t instanceof P)return t;let e=t?.name??"",r=u=>new P(u,n&&u==="blocked"?yt:Z[u],t??void 0);if(t===null)return r(n?"blocked":s===!1?"insecure":"unsupported");switch(e){case"NotAllowedError":case"PermissionDeniedError":case"SecurityError":return r("blocked");case"NotFoundError":case"DevicesNotFoundError":return r("no-device");case"OverconstrainedError":{let y=`No microphone matches the constraint ${t.constraint||"?"}: drop it, ${$}`;return new P("no-device",y,t)}case"NotReadableError":case"TrackStartError":case"AbortError":return r("busy")}let o=String(t?.message??t).split(`
`)[0],m=`The microphone failed to start (${e||"Error"}: ${o}), ${$}`;return new P("failed",m,t)}var st="axio-nb-pcm-capture",wt=1e3,xt=500,vt=`
class PcmCaptureProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: o }) {
    super();
    this.size = o.batchFrames;
    this.batch = new Float32Array(this.size);
    this.fill = 0;
    this.done = false;
    this.port.onmessage = ({ data: m }) => {
      if (m.type !== "stop") return;
      this.flush();
      this.done = true;
      this.port.postMessage({ type: "stopped" });
    };
  }
  flush() {
    if (!this.fill) return;
    const frames = this.batch;
    this.port.postMessage({ type: "frames", frames, length: this.fill }, [frames.buffer]);
    // The transfer detached the old array (its length is 0 now).
    this.batch = new Float32Array(this.size);
    this.fill = 0;
  }
  process(inputs) {
    if (this.done) return false;
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    for (let at = 0; at < input.length; ) {
      const n = Math.min(input.length - at, this.size - this.fill);
      this.batch.set(input.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === this.size) this.flush();
    }
    return true;
  }
}
registerProcessor(${JSON.stringify(st)}, PcmCaptureProcessor);
`;async function lt({onChunk:t,onLevel:s,onEnd:n,sampleRate:e=24e3,chunkMs:r=40,constraints:o,context:m}){let u=globalThis.navigator?.mediaDevices;if(!globalThis.isSecureContext||!u?.getUserMedia)throw nt(null);let y;try{y=await u.getUserMedia({audio:{echoCancellation:!0,noiseSuppression:!0,autoGainControl:!0,...o}})}catch(f){throw nt(f)}let h=m??new AudioContext({latencyHint:"interactive"}),x=!m,[w]=y.getAudioTracks(),a=null,l=null,c=!1,d=()=>{if(!c){c=!0;for(let f of y.getTracks())f.stop();a?.disconnect(),l&&(l.port.onmessage=null,l.disconnect()),x&&h.state!=="closed"&&h.close().catch(()=>{})}};try{if(await X(h,st,vt).catch(f=>{throw new P("unsupported",Z.unsupported,f)}),h.state!=="running"&&await Promise.race([h.resume(),new Promise(f=>setTimeout(f,wt))]),h.state!=="running")throw new P("suspended",Z.suspended);a=h.createMediaStreamSource(y),l=new AudioWorkletNode(h,st,{numberOfInputs:1,numberOfOutputs:1,outputChannelCount:[1],channelCount:1,channelCountMode:"explicit",channelInterpretation:"speakers",processorOptions:{batchFrames:Math.max(128,Math.round(h.sampleRate*Math.min(r,20)/1e3))}})}catch(f){throw d(),nt(f)}let M=new D(h.sampleRate,e,1),g=Math.max(1,Math.round(e*r/1e3)),E=new Float32Array(g),A=0,v=f=>{A=0,s?.(Math.min(1,ct(f))),t(ot(f).buffer)},F=f=>{for(let C=0;C<f.length;){let T=Math.min(g-A,f.length-C);E.set(f.subarray(C,C+T),A),A+=T,C+=T,A===g&&v(E)}},k=null,L=()=>{},_=()=>{c||(F(M.flush()),A&&v(E.subarray(0,A)),d(),L())};l.port.onmessage=({data:f})=>{f.type==="frames"?F(M.process(f.frames.subarray(0,f.length))):f.type==="stopped"&&_()},w?.addEventListener("ended",()=>{k||c||(_(),n?.(new P("ended",Z.ended)))}),a.connect(l),l.connect(h.destination);let U=l;return Object.freeze({stop(){return k??=new Promise(f=>{if(L=f,c)return f();U.port.postMessage({type:"stop"}),setTimeout(_,xt)}),k},sampleRate:e,inputSampleRate:h.sampleRate,settings:w?.getSettings?.()??{}})}var tt="axio-nb-pcm-player",pt=`
const Ring = (${J.toString()});
class PcmPlayerProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: o }) {
    super();
    this.channels = o.channels;
    this.ring = new Ring(o.capacityFrames * o.channels);
    this.startFrames = o.startFrames;
    this.progressFrames = o.progressFrames;
    this.tmp = new Float32Array(128 * o.channels);
    this.playing = false;
    this.ending = false;
    this.done = false;
    this.heard = false;
    this.started = false;
    this.read = 0;
    this.reported = 0;
    this.port.onmessage = ({ data: m }) => {
      if (m.type === "data") {
        const n = this.ring.write(m.samples);
        if (n < m.samples.length) this.post("overflow", { dropped: m.samples.length - n });
      } else if (m.type === "end") this.ending = true;
      else if (m.type === "stop") {
        this.done = true;
        this.ring.clear();
      }
    };
  }
  post(type, extra) {
    this.reported = this.read;
    this.port.postMessage({ type, read: this.read, time: currentTime, ...extra });
  }
  process(inputs, outputs) {
    if (this.done) return false;
    const out = outputs[0];
    const n = out[0].length;
    const ch = this.channels;
    const frames = this.ring.available / ch;
    if (!this.playing && (frames >= this.startFrames || (this.ending && frames > 0))) {
      this.playing = true;
      this.post("playing", { first: !this.started });
      this.started = true;
    }
    if (this.playing) {
      const got = Math.min(n, frames);
      this.ring.read(this.tmp, got * ch);
      for (let c = 0; c < out.length; c++) {
        const dst = out[c];
        const src = c < ch ? c : 0;
        for (let i = 0; i < got; i++) dst[i] = this.tmp[i * ch + src];
      }
      if (!this.heard) {
        for (let i = 0; i < got * ch; i++) {
          if (this.tmp[i] !== 0) {
            this.heard = true;
            this.post("audible", { time: currentTime + Math.floor(i / ch) / sampleRate });
            break;
          }
        }
      }
      this.read += got;
      if (got < n) {
        this.playing = false;
        if (!this.ending) this.post("underrun");
      }
    }
    if (!this.playing && this.ending && this.ring.available === 0) {
      this.post("ended");
      this.done = true;
      return false;
    }
    if (this.read - this.reported >= this.progressFrames) this.post("progress");
    return true;
  }
}
registerProcessor(${JSON.stringify(tt)}, PcmPlayerProcessor);
`;var ht=100,At=50,Mt=300,I=new Set(["ended","stopped","error"]);function dt({sampleRate:t=24e3,channels:s=1,context:n,destination:e,prebufferMs:r=0,leadMs:o=2e3}={}){let m=n??e?.context,u=m??new AudioContext({latencyHint:"interactive"}),y=!m,h=u.sampleRate,x=new G(s),w=new D(t,h,s),a=Math.max(1,Math.round(t*ht/1e3))*s,l=Math.max(1,Math.round(h*o/1e3)),c=[],d=0,M=0,g=0,E=!1,A=!1,v="loading",F=null,k=null,L=null,_=null,U=null,f=()=>{},C=new Promise(p=>f=p),T=()=>I.has(v)||u.state==="running"?v:"suspended";function b(p){p&&(v=p);let S=T();S!==F&&(F=S,H.onstate?.(S))}function q(p){let S=u.getOutputTimestamp?.();return S?.performanceTime&&S.contextTime!==void 0?S.performanceTime+(p-S.contextTime)*1e3:performance.now()+(u.outputLatency||u.baseLatency||0)*1e3}function j(p){!k||!p.length||(M+=p.length/s,k.port.postMessage({type:"data",samples:p},[p.buffer]))}function W(){if(!(!k||I.has(v))){for(;c.length&&M-g<l;){let p=c[0];p.length>a?(c[0]=p.subarray(a),p=p.subarray(0,a)):c.shift(),d-=p.length/s,j(w.process(at(p)))}E&&!c.length&&!A&&(j(w.flush()),k.port.postMessage({type:"end"}),A=!0)}}function N({data:p}){switch(g=p.read,p.type){case"playing":p.first&&(L=q(p.time)),b("playing");break;case"audible":_=q(p.time);break;case"underrun":b("underrun");break;case"ended":return B("ended");case"overflow":console.warn(`axio_nb: the player's buffer overflowed; ${p.dropped} samples dropped`);break}W()}function K(){u.state==="closed"?B("stopped"):b()}function B(p){if(!I.has(v)){if(c.length=0,d=0,k&&(p!=="ended"&&k.port.postMessage({type:"stop"}),k.port.onmessage=null,k.disconnect()),u.removeEventListener("statechange",K),y&&u.state!=="closed"){let S=()=>u.close().catch(()=>{});p==="ended"?setTimeout(S,Mt):S()}b(p),f(p)}}let H={push(p){if(E||I.has(v))return;let S=x.push(p);S.length&&(c.push(S),d+=S.length/s,W())},end(){E||I.has(v)||(E=!0,W())},stop(){B("stopped")},resume(){return u.resume()},get state(){return T()},get startedAt(){return L},get audibleAt(){return _},get playedSeconds(){return g/h},get bufferedSeconds(){return I.has(v)?0:(M-g)/h+d/t},get context(){return u},get error(){return U},done:C,onstate:null};return u.addEventListener("statechange",K),queueMicrotask(()=>b()),y&&u.state==="suspended"&&u.resume().catch(()=>{}),X(u,tt,pt).then(()=>{I.has(v)||(k=new AudioWorkletNode(u,tt,{numberOfInputs:0,numberOfOutputs:1,outputChannelCount:[s],processorOptions:{channels:s,capacityFrames:l+2*Math.ceil(h*ht/1e3)+128,startFrames:Math.max(1,Math.min(l,Math.round(h*r/1e3))),progressFrames:Math.round(h*At/1e3)}}),k.port.onmessage=N,k.connect(e??u.destination),b("waiting"),W())}).catch(p=>{U=p,B("error")}),H}var kt=120,St=Symbol.for("axio_nb.voicePlayers");function ft({context:t,onstate:s,createPlayer:n=dt}){let e=null,r=null,o=[],m=!1,u={played:0,underruns:0,played_ms:0},y={played:0,underruns:0,played_ms:0};function h(a){if(!a)return;let l=a.player.playedSeconds;l>a.playedSec&&(u.played_ms+=Math.round((l-a.playedSec)*1e3),a.playedSec=l);let c=Math.floor(l*a.sampleRate)*a.frameBytes;for(;a.ends.length&&a.ends[0]<=c;)a.ends.shift(),u.played+=1}function x(a){let l=Q(a)??{sampleRate:24e3,channels:1},c=n({...l,context:t(),prebufferMs:kt}),d={player:c,ends:[],pushed:0,playedSec:0,sampleRate:l.sampleRate,frameBytes:2*l.channels};c.onstate=E=>{E==="underrun"&&(u.underruns+=1),E==="playing"&&!m&&c.startedAt!==null&&(m=!0,globalThis.performance?.mark?.("axio-nb:speech-playing",{startTime:c.startedAt})),s?.(E)};let M=globalThis,g=M[St]??=new Set;return g.add(c),c.done.then(E=>{if(g.delete(c),E==="ended"&&(h(d),u.played+=d.ends.length,d.ends=[],e===d&&(e=null),r===d)){r=null;let A=o;o=[];for(let v of A)v?w.push(v.mediaType,v.sizes,v.data):w.end()}}),d}let w={push(a,l,c){if(!e&&r){o.push({mediaType:a,sizes:l,data:c});return}let d=e??=x(a);for(let M of l)d.ends.push(d.pushed+=M);d.player.push(c)},end(){if(!e&&r){o.length&&o.push(null);return}if(!e)return;let a=e;e=null,r=a,a.player.end()},flush(){let a=0;for(let c of[r,e])c&&(h(c),a+=c.player.bufferedSeconds*1e3,c.player.stop());for(let c of o){let d=c&&(Q(c.mediaType)??{sampleRate:24e3,channels:1});c&&d&&(a+=c.data.byteLength/(2*d.channels)/d.sampleRate*1e3)}let l=e||r||o.length;return e=r=null,o=[],l?(a=Math.round(a),globalThis.performance?.mark?.("axio-nb:voice-flush",{detail:{buffered_ms:a}}),a):0},increments(){h(r),h(e);let a={played:u.played-y.played,underruns:u.underruns-y.underruns,played_ms:u.played_ms-y.played_ms};return Object.assign(y,u),a.played||a.underruns||a.played_ms?a:null},counts:u,get player(){return(r??e)?.player??null},stop(){r?.player.stop(),e?.player.stop(),e=r=null,o=[]}};return w}function O(t,s,n,e){let r=t.createElement(s);return n&&(r.className=n),e!==void 0&&(r.textContent=e),r}function z(t,s,n,e,r){let o=O(t,"button",s,n);return o.type="button",o.setAttribute("aria-label",e),o.addEventListener("click",r),o}var mt={connecting:"Connecting…",listening:"Listening","user speaking":"You are speaking","assistant speaking":"Assistant speaking",ended:"Ended"},Et=500,Ct=100,Tt=/or pass a file or a variable instead\.$/;function _t(t){return t instanceof P?{reason:t.reason,text:t.message.replace(Tt,"or type your turn in the box below.")}:{reason:"failed",text:`The microphone failed (${String(t)}): type your turn in the box below.`}}var Zt={render({model:t,el:s}){let n=s.ownerDocument,e=O(n,"div","axio-nb-voice"),r=O(n,"div","axio-nb-voice-row"),o=z(n,"axio-nb-voice-mic","● Microphone","Microphone",()=>{q()}),m=O(n,"div","axio-nb-voice-level");m.setAttribute("role","meter"),m.setAttribute("aria-label","Microphone level"),m.setAttribute("aria-valuemin","0"),m.setAttribute("aria-valuemax","100");let u=O(n,"div","axio-nb-voice-level-bar");m.append(u);let y=O(n,"span","axio-nb-voice-state");y.setAttribute("role","status");let h=z(n,"axio-nb-voice-mute","Mute","Mute",()=>{t.send({type:"mute",on:!C()}),v=!C(),b()}),x=z(n,"axio-nb-voice-talk","Push to talk","Push to talk",()=>{}),w=z(n,"axio-nb-voice-end","End","End",()=>{B()});r.append(o,m,y,h,x,w);let a=O(n,"div","axio-nb-voice-type"),l=O(n,"input","axio-nb-voice-text");l.type="text",l.placeholder="Type a message…",l.setAttribute("aria-label","Message to send");let c=z(n,"axio-nb-voice-send","Send","Send",()=>K());a.append(l,c);let d=O(n,"div","axio-nb-voice-message");d.setAttribute("role","alert"),e.append(r,a,d),s.replaceChildren(e);let M=null,g="off",E=0,A=!1,v=null,F=null,k=()=>F??=new AudioContext({latencyHint:"interactive"}),L=()=>{globalThis.AudioContext&&k().resume().catch(()=>{})},_=ft({context:k,onstate:i=>{i==="suspended"?d.textContent="The browser paused the voice: click anywhere here to hear it.":d.dataset.kind!=="mic"&&(d.textContent="")}}),U=!1,f=()=>!!t.get("push_to_talk"),C=()=>v??!!t.get("muted"),T=()=>U||t.get("state")==="ended";function b(){let i=U?"ended":String(t.get("state")||"connecting");e.dataset.state=i,e.dataset.mic=g,e.dataset.muted=String(C()),e.dataset.talking=String(A),y.textContent=C()&&g==="on"?`${mt[i]??i} · muted`:mt[i]??i,o.textContent=g==="on"?"■ Microphone":"● Microphone",o.setAttribute("aria-pressed",String(g==="on")),o.disabled=T()||!(Number(t.get("rate"))>0)||g!=="off"&&g!=="on",h.setAttribute("aria-pressed",String(C())),h.textContent=C()?"Unmute":"Mute",h.disabled=T(),m.setAttribute("aria-valuetext",C()?"muted":`${m.getAttribute("aria-valuenow")??0}`),x.setAttribute("aria-pressed",String(A)),x.disabled=T()||!f()||!(Number(t.get("rate"))>0),x.title=f()?"Hold to talk (or hold the space bar); release to send":"This session detects speech by itself; start one with push_to_talk=True (--push-to-talk) to talk by holding",w.disabled=T(),l.disabled=c.disabled=T()}async function q(){L(),g==="off"?await j():g==="on"&&await W(!0)}async function j(){let i=Number(t.get("rate"));if(!(!(i>0)||g!=="off")){g="starting",b();try{M=await lt({sampleRate:i,chunkMs:Ct,onChunk:R=>{C()||f()&&!A||t.send({type:"audio",seq:E++,t:Date.now()},void 0,[R])},onLevel:R=>{let Y=C()?0:Math.min(100,Math.round(Math.sqrt(R)*140));u.style.width=`${Y}%`,m.setAttribute("aria-valuenow",String(Y))},onEnd:R=>H(R)})}catch(R){H(R);return}g="on",d.textContent="",t.send({type:"started",rate:M.sampleRate}),b()}}async function W(i){g!=="on"||!M||(g="stopping",b(),await M.stop(),M=null,u.style.width="0%",g="off",i&&t.send({type:"mic_off",chunks:E}),b())}async function N(i){!f()||i===A||T()||(i?(L(),A=!0,t.send({type:"talk",on:!0}),b(),g==="off"&&await j()):(A=!1,t.send({type:"talk",on:!1}),b()))}function K(){let i=l.value.trim();!i||T()||(L(),t.send({type:"text",text:i}),l.value="")}async function B(){await W(!1),t.send({type:"end"}),w.disabled=!0}function H(i){let{reason:R,text:Y}=_t(i);d.textContent=Y,d.dataset.kind="mic",g="off",M=null,b(),t.send({type:"error",reason:R,message:Y}),N(!1)}x.addEventListener("pointerdown",i=>{x.setPointerCapture?.(i.pointerId),N(!0)});for(let i of["pointerup","pointercancel","lostpointercapture"])x.addEventListener(i,()=>{N(!1)});let p=i=>{if(i.target===l){i.type==="keydown"&&i.key==="Enter"&&!i.shiftKey&&!i.isComposing&&(i.preventDefault(),K());return}i.key!==" "||!f()||(i.preventDefault(),i.stopPropagation(),i.repeat||N(i.type==="keydown"))};e.addEventListener("keydown",p),e.addEventListener("keyup",p),e.addEventListener("click",()=>{F?.resume().catch(()=>{})});let S=(i,R)=>{switch(i?.type){case"audio":R?.[0]&&_.push(String(i.media_type),Array.isArray(i.sizes)?i.sizes:[],R[0]);break;case"audio_end":_.end();break;case"flush":_.flush(),et();break;case"stop":W(!1),_.stop(),et();break}};function et(){let i=_.increments();i&&t.send({type:"playback",...i})}let gt=setInterval(et,Et),V=()=>{if(U)return;let i=T();U=!0,W(!1),_.stop(),A=!1,b(),i||(y.textContent="Ended: the kernel is gone")},rt=()=>{v=null,b()};return t.on("msg:custom",S),t.on("change:state",b),t.on("change:rate",b),t.on("change:muted",rt),t.on("change:push_to_talk",b),t.on("comm:close",V),t.on("destroy",V),t.on("comm_live_update",V),b(),()=>{clearInterval(gt),t.off("msg:custom",S),t.off("change:state",b),t.off("change:rate",b),t.off("change:muted",rt),t.off("change:push_to_talk",b),t.off("comm:close",V),t.off("destroy",V),t.off("comm_live_update",V),_.stop(),M?.stop(),F?.close().catch(()=>{})}}};export{Ct as MIC_CHUNK_MS,Zt as default,_t as micMessage};
