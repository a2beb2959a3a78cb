function X(t,{sampleRate:s=24e3,channels:n=1}={}){let[e,...r]=String(t).split(";");if(e.trim().toLowerCase()!=="audio/pcm")return null;let a=s,f=n;for(let w of r){let[i,m]=w.split("=").map(v=>v.trim().toLowerCase()),h=Number(m);!Number.isInteger(h)||h<=0||(i==="rate"?a=h:i==="channels"&&(f=h))}return{sampleRate:a,channels:f}}function ot(t){let s=new Int16Array(t.length);for(let n=0;n<t.length;n++){let e=t[n];s[n]=e>=1?32767:e<=-1?-32768:Math.round(e<0?e*32768:e*32767)}return s}function at(t){let s=new Float32Array(t.length);for(let n=0;n<t.length;n++)s[n]=t[n]/32768;return s}function it(t){return t instanceof Uint8Array?t:ArrayBuffer.isView(t)?new Uint8Array(t.buffer,t.byteOffset,t.byteLength):new Uint8Array(t)}var J=class{constructor(s=1){this.frameBytes=2*s,this.carry=new Uint8Array(0)}push(s){let n=it(s);if(this.carry.length){let a=new Uint8Array(this.carry.length+n.length);a.set(this.carry),a.set(n,this.carry.length),n=a}let e=n.length-n.length%this.frameBytes;this.carry=n.slice(e);let r=new Int16Array(e/2);for(let a=0,f=0;a<r.length;a++,f+=2)r[a]=(n[f]|n[f+1]<<8)<<16>>16;return r}get pending(){return this.carry.length}},z=class{constructor(s,n,e=1){if(!(s>0&&n>0))throw new RangeError(`axio_nb: sample rates must be positive (got ${s} → ${n})`);this.from=s,this.to=n,this.channels=e,this.step=s/n,this.pos=0,this.prev=null}process(s){let n=this.channels,e=Math.floor(s.length/n);if(this.from===this.to)return s.slice(0,e*n);if(e===0)return new Float32Array(0);let r=this.prev,a=r?1:0,f=e-1+a,w=(v,A)=>v<a&&r?r[A]:s[(v-a)*n+A],i=Math.max(0,Math.ceil((f-this.pos)/this.step)),m=new Float32Array(i*n),h=this.pos;for(let v=0;v<i;v++,h=this.pos+v*this.step){let A=Math.floor(h),o=h-A;for(let d=0;d<n;d++){let l=w(A,d);m[v*n+d]=l+o*(w(A+1,d)-l)}}return this.pos=this.pos+i*this.step-f,this.prev=s.slice((e-1)*n,e*n),m}flush(){let s=this.channels;if(this.from===this.to||!this.prev)return new Float32Array(0);let n=Math.max(0,Math.ceil((1-this.pos)/this.step)),e=new Float32Array(n*s);for(let r=0;r<n;r++)e.set(this.prev,r*s);return this.pos=0,this.prev=null,e}};function ct(t){if(!t.length)return 0;let s=t instanceof Int16Array?1/32768:1,n=0;for(let e=0;e<t.length;e++){let r=t[e]*s;n+=r*r}return Math.sqrt(n/t.length)}var Q=class{constructor(s){this.data=new Float32Array(s),this.readAt=0,this.available=0}get capacity(){return this.data.length}get space(){return this.data.length-this.available}write(s){let n=this.data.length,e=Math.min(s.length,n-this.available),r=(this.readAt+this.available)%n,a=Math.min(e,n-r);return this.data.set(s.subarray(0,a),r),e>a&&this.data.set(s.subarray(a,e),0),this.available+=e,e}read(s,n=s.length){let e=this.data.length,r=Math.min(n,s.length,this.available),a=Math.min(r,e-this.readAt);return s.set(this.data.subarray(this.readAt,this.readAt+a),0),r>a&&s.set(this.data.subarray(0,r-a),a),this.readAt=(this.readAt+r)%e,this.available-=r,r}clear(){this.readAt=0,this.available=0}};var lt=globalThis[Symbol.for("axio_nb.worklets")]??=new WeakMap;function Z(t,s,n){let e=lt.get(t);e||lt.set(t,e=new Map);let r=e.get(s);if(!r){if(!t.audioWorklet){let f="axio_nb: this browser has no AudioWorklet (Web Audio needs https or localhost)";return Promise.reject(new Error(f))}let a=URL.createObjectURL(new Blob([n],{type:"text/javascript"}));r=t.audioWorklet.addModule(a).finally(()=>URL.revokeObjectURL(a)),r.catch(()=>e.delete(s)),e.set(s,r)}return r}var $="or pass a file or a variable instead.",tt={blocked:`Microphone blocked: allow it in the browser's site settings, ${$}`,"no-device":`No microphone found: connect one (and check the system's privacy settings), ${$}`,insecure:`The microphone needs https or localhost: open the notebook through one of them, ${$}`,busy:`The microphone could not be opened (another application may hold it): close that and retry, ${$}`,suspended:"Audio is paused until the page is clicked: start the microphone from a click.",unsupported:`This browser cannot capture audio (no AudioWorklet): use a current browser, ${$}`,ended:"The microphone stopped: it was unplugged, or its permission was taken back."},bt=`VS Code notebooks cannot use the microphone (microsoft/vscode#119127): open the notebook in JupyterLab or Notebook 7 in a browser, ${$}`;function wt(t=globalThis.location){return t?.protocol==="vscode-webview:"}var P=class extends Error{constructor(s,n,e){super(n,{cause:e}),this.name="CaptureError",this.reason=s}};function nt(t,{secure:s=globalThis.isSecureContext,vscode:n=wt()}={}){if(t instanceof P)return t;let e=t?.name??"",r=w=>new P(w,n&&w==="blocked"?bt:tt[w],t??void 0);if(t===null)return r(n?"blocked":s===!1?"insecure":"unsupported");switch(e){case"NotAllowedError":case"PermissionDeniedError":case"SecurityError":return r("blocked");case"NotFoundError":case"DevicesNotFoundError":return r("no-device");case"OverconstrainedError":{let i=`No microphone matches the constraint ${t.constraint||"?"}: drop it, ${$}`;return new P("no-device",i,t)}case"NotReadableError":case"TrackStartError":case"AbortError":return r("busy")}let a=String(t?.message??t).split(`
`)[0],f=`The microphone failed to start (${e||"Error"}: ${a}), ${$}`;return new P("failed",f,t)}var st="axio-nb-pcm-capture",xt=1e3,vt=500,At=`
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
`;async function ut({onChunk:t,onLevel:s,onEnd:n,sampleRate:e=24e3,chunkMs:r=40,constraints:a,context:f}){let w=globalThis.navigator?.mediaDevices;if(!globalThis.isSecureContext||!w?.getUserMedia)throw nt(null);let i;try{i=await w.getUserMedia({audio:{echoCancellation:!0,noiseSuppression:!0,autoGainControl:!0,...a}})}catch(p){throw nt(p)}let m=f??new AudioContext({latencyHint:"interactive"}),h=!f,[v]=i.getAudioTracks(),A=null,o=null,d=!1,l=()=>{if(!d){d=!0;for(let p of i.getTracks())p.stop();A?.disconnect(),o&&(o.port.onmessage=null,o.disconnect()),h&&m.state!=="closed"&&m.close().catch(()=>{})}};try{if(await Z(m,st,At).catch(p=>{throw new P("unsupported",tt.unsupported,p)}),m.state!=="running"&&await Promise.race([m.resume(),new Promise(p=>setTimeout(p,xt))]),m.state!=="running")throw new P("suspended",tt.suspended);A=m.createMediaStreamSource(i),o=new AudioWorkletNode(m,st,{numberOfInputs:1,numberOfOutputs:1,outputChannelCount:[1],channelCount:1,channelCountMode:"explicit",channelInterpretation:"speakers",processorOptions:{batchFrames:Math.max(128,Math.round(m.sampleRate*Math.min(r,20)/1e3))}})}catch(p){throw l(),nt(p)}let g=new z(m.sampleRate,e,1),y=Math.max(1,Math.round(e*r/1e3)),T=new Float32Array(y),b=0,F=p=>{b=0,s?.(Math.min(1,ct(p))),t(ot(p).buffer)},x=p=>{for(let E=0;E<p.length;){let _=Math.min(y-b,p.length-E);T.set(p.subarray(E,E+_),b),b+=_,E+=_,b===y&&F(T)}},L=null,k=()=>{},C=()=>{d||(x(g.flush()),b&&F(T.subarray(0,b)),l(),k())};o.port.onmessage=({data:p})=>{p.type==="frames"?x(g.process(p.frames.subarray(0,p.length))):p.type==="stopped"&&C()},v?.addEventListener("ended",()=>{L||d||(C(),n?.(new P("ended",tt.ended)))}),A.connect(o),o.connect(m.destination);let U=o;return Object.freeze({stop(){return L??=new Promise(p=>{if(k=p,d)return p();U.port.postMessage({type:"stop"}),setTimeout(C,vt)}),L},sampleRate:e,inputSampleRate:m.sampleRate,settings:v?.getSettings?.()??{}})}var et="axio-nb-pcm-player",pt=`
const Ring = (${Q.toString()});
class PcmPlayerProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: o }) {
    super();
    this.channels = o.channels;
    this.ring = new Ring(o.capacityFrames * o.channels);
    this.startFrames = o.startFrames;
    this.waitFrames = o.waitFrames || 0;
    /** The output frame at which frames first arrived while not playing (null: none since). */
    this.waitingSince = null;
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
        if (!this.playing && this.waitingSince === null && n > 0) this.waitingSince = currentFrame;
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
    const waited =
      this.waitFrames > 0 && this.waitingSince !== null && currentFrame - this.waitingSince >= this.waitFrames;
    if (!this.playing && frames > 0 && (frames >= this.startFrames || this.ending || waited)) {
      this.playing = true;
      this.waitingSince = null;
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
registerProcessor(${JSON.stringify(et)}, PcmPlayerProcessor);
`;var ht=100,Mt=50,St=300,V=new Set(["ended","stopped","error"]);function dt({sampleRate:t=24e3,channels:s=1,context:n,destination:e,prebufferMs:r=0,maxWaitMs:a=0,leadMs:f=2e3}={}){let w=n??e?.context,i=w??new AudioContext({latencyHint:"interactive"}),m=!w,h=i.sampleRate,v=new J(s),A=new z(t,h,s),o=Math.max(1,Math.round(t*ht/1e3))*s,d=Math.max(1,Math.round(h*f/1e3)),l=[],g=0,y=0,T=0,b=!1,F=!1,x="loading",L=null,k=null,C=null,U=null,p=null,E=()=>{},_=new Promise(u=>E=u),M=()=>V.has(x)||i.state==="running"?x:"suspended";function I(u){u&&(x=u);let S=M();S!==L&&(L=S,H.onstate?.(S))}function K(u){let S=i.getOutputTimestamp?.();return S?.performanceTime&&S.contextTime!==void 0?S.performanceTime+(u-S.contextTime)*1e3:performance.now()+(i.outputLatency||i.baseLatency||0)*1e3}function N(u){!k||!u.length||(y+=u.length/s,k.port.postMessage({type:"data",samples:u},[u.buffer]))}function W(){if(!(!k||V.has(x))){for(;l.length&&y-T<d;){let u=l[0];u.length>o?(l[0]=u.subarray(o),u=u.subarray(0,o)):l.shift(),g-=u.length/s,N(A.process(at(u)))}b&&!l.length&&!F&&(N(A.flush()),k.port.postMessage({type:"end"}),F=!0)}}function q({data:u}){switch(T=u.read,u.type){case"playing":u.first&&(C=K(u.time)),I("playing");break;case"audible":U=K(u.time);break;case"underrun":I("underrun");break;case"ended":return B("ended");case"overflow":console.warn(`axio_nb: the player's buffer overflowed; ${u.dropped} samples dropped`);break}W()}function G(){i.state==="closed"?B("stopped"):I()}function B(u){if(!V.has(x)){if(l.length=0,g=0,k&&(u!=="ended"&&k.port.postMessage({type:"stop"}),k.port.onmessage=null,k.disconnect()),i.removeEventListener("statechange",G),m&&i.state!=="closed"){let S=()=>i.close().catch(()=>{});u==="ended"?setTimeout(S,St):S()}I(u),E(u)}}let H={push(u){if(b||V.has(x))return;let S=v.push(u);S.length&&(l.push(S),g+=S.length/s,W())},end(){b||V.has(x)||(b=!0,W())},stop(){B("stopped")},resume(){return i.resume()},get state(){return M()},get startedAt(){return C},get audibleAt(){return U},get playedSeconds(){return T/h},get bufferedSeconds(){return V.has(x)?0:(y-T)/h+g/t},get context(){return i},get error(){return p},done:_,onstate:null};return i.addEventListener("statechange",G),queueMicrotask(()=>I()),m&&i.state==="suspended"&&i.resume().catch(()=>{}),Z(i,et,pt).then(()=>{V.has(x)||(k=new AudioWorkletNode(i,et,{numberOfInputs:0,numberOfOutputs:1,outputChannelCount:[s],processorOptions:{channels:s,capacityFrames:d+2*Math.ceil(h*ht/1e3)+128,startFrames:Math.max(1,Math.min(d,Math.round(h*r/1e3))),waitFrames:Math.max(0,Math.round(h*a/1e3)),progressFrames:Math.round(h*Mt/1e3)}}),k.port.onmessage=q,k.connect(e??i.destination),I("waiting"),W())}).catch(u=>{p=u,B("error")}),H}var ft=120,kt=60,Et=20,Tt=Symbol.for("axio_nb.voicePlayers");function mt({context:t,onstate:s,createPlayer:n=dt}){let e=null,r=null,a=[],f=!1,w=kt,i={played:0,underruns:0,played_ms:0},m={played:0,underruns:0,played_ms:0};function h(o){if(!o)return;let d=o.player.playedSeconds;d>o.playedSec&&(i.played_ms+=Math.round((d-o.playedSec)*1e3),o.playedSec=d);let l=Math.floor(d*o.sampleRate)*o.frameBytes;for(;o.ends.length&&o.ends[0]<=l;)o.ends.shift(),i.played+=1}function v(o){let d=X(o)??{sampleRate:24e3,channels:1},l=n({...d,context:t(),prebufferMs:ft,maxWaitMs:w}),g={player:l,ends:[],pushed:0,playedSec:0,sampleRate:d.sampleRate,frameBytes:2*d.channels};l.onstate=b=>{b==="underrun"&&(i.underruns+=1,w=Math.min(ft,w+Et)),b==="playing"&&!f&&l.startedAt!==null&&(f=!0,globalThis.performance?.mark?.("axio-nb:speech-playing",{startTime:l.startedAt})),s?.(b)};let y=globalThis,T=y[Tt]??=new Set;return T.add(l),l.done.then(b=>{if(T.delete(l),b==="ended"&&(h(g),i.played+=g.ends.length,g.ends=[],e===g&&(e=null),r===g)){r=null;let F=a;a=[];for(let x of F)x?A.push(x.mediaType,x.sizes,x.data):A.end()}}),g}let A={push(o,d,l){if(!e&&r){a.push({mediaType:o,sizes:d,data:l});return}let g=e??=v(o);for(let y of d)g.ends.push(g.pushed+=y);g.player.push(l)},end(){if(!e&&r){a.length&&a.push(null);return}if(!e)return;let o=e;e=null,r=o,o.player.end()},flush(){let o=0;for(let l of[r,e])l&&(h(l),o+=l.player.bufferedSeconds*1e3,l.player.stop());for(let l of a){let g=l&&(X(l.mediaType)??{sampleRate:24e3,channels:1});l&&g&&(o+=l.data.byteLength/(2*g.channels)/g.sampleRate*1e3)}let d=e||r||a.length;return e=r=null,a=[],d?(o=Math.round(o),globalThis.performance?.mark?.("axio-nb:voice-flush",{detail:{buffered_ms:o}}),o):0},increments(){h(r),h(e);let o={played:i.played-m.played,underruns:i.underruns-m.underruns,played_ms:i.played_ms-m.played_ms};return Object.assign(m,i),o.played||o.underruns||o.played_ms?o:null},counts:i,get player(){return(r??e)?.player??null},stop(){r?.player.stop(),e?.player.stop(),e=r=null,a=[]}};return A}function O(t,s,n,e){let r=t.createElement(s);return n&&(r.className=n),e!==void 0&&(r.textContent=e),r}function j(t,s,n,e,r){let a=O(t,"button",s,n);return a.type="button",a.setAttribute("aria-label",e),a.addEventListener("click",r),a}var gt={connecting:"Connecting…",listening:"Listening","user speaking":"You are speaking","assistant speaking":"Assistant speaking",ended:"Ended"},Ct=500,_t=100,Rt=/or pass a file or a variable instead\.$/;function Ft(t){return t instanceof P?{reason:t.reason,text:t.message.replace(Rt,"or type your turn in the box below.")}:{reason:"failed",text:`The microphone failed (${String(t)}): type your turn in the box below.`}}var ee={render({model:t,el:s}){let n=s.ownerDocument,e=O(n,"div","axio-nb-voice"),r=O(n,"div","axio-nb-voice-row"),a=j(n,"axio-nb-voice-mic","● Microphone","Microphone",()=>{I()}),f=O(n,"div","axio-nb-voice-level");f.setAttribute("role","meter"),f.setAttribute("aria-label","Microphone level"),f.setAttribute("aria-valuemin","0"),f.setAttribute("aria-valuemax","100");let w=O(n,"div","axio-nb-voice-level-bar");f.append(w);let i=O(n,"span","axio-nb-voice-state");i.setAttribute("role","status");let m=j(n,"axio-nb-voice-mute","Mute","Mute",()=>{t.send({type:"mute",on:!E()}),F=!E(),M()}),h=j(n,"axio-nb-voice-talk","Push to talk","Push to talk",()=>{}),v=j(n,"axio-nb-voice-end","End","End",()=>{G()});r.append(a,f,i,m,h,v);let A=O(n,"div","axio-nb-voice-type"),o=O(n,"input","axio-nb-voice-text");o.type="text",o.placeholder="Type a message…",o.setAttribute("aria-label","Message to send");let d=j(n,"axio-nb-voice-send","Send","Send",()=>q());A.append(o,d);let l=O(n,"div","axio-nb-voice-message");l.setAttribute("role","alert"),e.append(r,A,l),s.replaceChildren(e);let g=null,y="off",T=0,b=!1,F=null,x=null,L=()=>x??=new AudioContext({latencyHint:"interactive"}),k=()=>{globalThis.AudioContext&&L().resume().catch(()=>{})},C=mt({context:L,onstate:c=>{c==="suspended"?l.textContent="The browser paused the voice: click anywhere here to hear it.":l.dataset.kind!=="mic"&&(l.textContent="")}}),U=!1,p=()=>!!t.get("push_to_talk"),E=()=>F??!!t.get("muted"),_=()=>U||t.get("state")==="ended";function M(){let c=U?"ended":String(t.get("state")||"connecting");e.dataset.state=c,e.dataset.mic=y,e.dataset.muted=String(E()),e.dataset.talking=String(b),i.textContent=E()&&y==="on"?`${gt[c]??c} · muted`:gt[c]??c,a.textContent=y==="on"?"■ Microphone":"● Microphone",a.setAttribute("aria-pressed",String(y==="on")),a.disabled=_()||!(Number(t.get("rate"))>0)||y!=="off"&&y!=="on",m.setAttribute("aria-pressed",String(E())),m.textContent=E()?"Unmute":"Mute",m.disabled=_(),f.setAttribute("aria-valuetext",E()?"muted":`${f.getAttribute("aria-valuenow")??0}`),h.setAttribute("aria-pressed",String(b)),h.disabled=_()||!p()||!(Number(t.get("rate"))>0),h.title=p()?"Hold to talk (or hold the space bar); release to send":"This session detects speech by itself; start one with push_to_talk=True (--push-to-talk) to talk by holding",v.disabled=_(),o.disabled=d.disabled=_()}async function I(){k(),y==="off"?await K():y==="on"&&await N(!0)}async function K(){let c=Number(t.get("rate"));if(!(!(c>0)||y!=="off")){y="starting",M();try{g=await ut({sampleRate:c,chunkMs:_t,onChunk:R=>{E()||p()&&!b||t.send({type:"audio",seq:T++,t:Date.now()},void 0,[R])},onLevel:R=>{let Y=E()?0:Math.min(100,Math.round(Math.sqrt(R)*140));w.style.width=`${Y}%`,f.setAttribute("aria-valuenow",String(Y))},onEnd:R=>B(R)})}catch(R){B(R);return}y="on",l.textContent="",t.send({type:"started",rate:g.sampleRate}),M()}}async function N(c){y!=="on"||!g||(y="stopping",M(),await g.stop(),g=null,w.style.width="0%",y="off",c&&t.send({type:"mic_off",chunks:T}),M())}async function W(c){!p()||c===b||_()||(c?(k(),b=!0,t.send({type:"talk",on:!0}),M(),y==="off"&&await K()):(b=!1,t.send({type:"talk",on:!1}),M()))}function q(){let c=o.value.trim();!c||_()||(k(),t.send({type:"text",text:c}),o.value="")}async function G(){await N(!1),t.send({type:"end"}),v.disabled=!0}function B(c){let{reason:R,text:Y}=Ft(c);l.textContent=Y,l.dataset.kind="mic",y="off",g=null,M(),t.send({type:"error",reason:R,message:Y}),W(!1)}h.addEventListener("pointerdown",c=>{h.setPointerCapture?.(c.pointerId),W(!0)});for(let c of["pointerup","pointercancel","lostpointercapture"])h.addEventListener(c,()=>{W(!1)});let H=c=>{if(c.target===o){c.type==="keydown"&&c.key==="Enter"&&!c.shiftKey&&!c.isComposing&&(c.preventDefault(),q());return}c.key!==" "||!p()||(c.preventDefault(),c.stopPropagation(),c.repeat||W(c.type==="keydown"))};e.addEventListener("keydown",H),e.addEventListener("keyup",H),e.addEventListener("click",()=>{x?.resume().catch(()=>{})});let u=(c,R)=>{switch(c?.type){case"audio":R?.[0]&&C.push(String(c.media_type),Array.isArray(c.sizes)?c.sizes:[],R[0]);break;case"audio_end":C.end();break;case"flush":C.flush(),S();break;case"stop":N(!1),C.stop(),S();break}};function S(){let c=C.increments();c&&t.send({type:"playback",...c})}let yt=setInterval(S,Ct),D=()=>{if(U)return;let c=_();U=!0,N(!1),C.stop(),b=!1,M(),c||(i.textContent="Ended: the kernel is gone")},rt=()=>{F=null,M()};return t.on("msg:custom",u),t.on("change:state",M),t.on("change:rate",M),t.on("change:muted",rt),t.on("change:push_to_talk",M),t.on("comm:close",D),t.on("destroy",D),t.on("comm_live_update",D),M(),()=>{clearInterval(yt),t.off("msg:custom",u),t.off("change:state",M),t.off("change:rate",M),t.off("change:muted",rt),t.off("change:push_to_talk",M),t.off("comm:close",D),t.off("destroy",D),t.off("comm_live_update",D),C.stop(),g?.stop(),x?.close().catch(()=>{})}}};export{_t as MIC_CHUNK_MS,ee as default,Ft as micMessage};
